"""Recount the dashboard's summary rows from the registrations and SMS tables.

    python manage.py rebuild_registration_summaries

The triggers keep them current; run this after restoring a table by hand, after a
TRUNCATE (which fires no row triggers), or to check them (`--check` changes nothing and
fails if they disagree with a recount).
"""

from django.core.management.base import BaseCommand, CommandError

from registrations import summaries


class Command(BaseCommand):
    help = "Recount the registration and SMS summary rows behind the dashboard."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="compare with a recount, change nothing"
        )

    def handle(self, *args, check, **options):
        if check:
            current, recounted = summaries.totals(), summaries.recounted()
            if current != recounted:
                differ = sorted(
                    f"{dimension}={value}: {current[dimension].get(value, 0)} ≠ {n}"
                    for dimension, values in recounted.items()
                    for value, n in {**current.get(dimension, {}), **values}.items()
                    if current.get(dimension, {}).get(value, 0) != values.get(value, 0)
                )
                raise CommandError("Summary rows differ from a recount: " + "; ".join(differ))
            self.stdout.write(self.style.SUCCESS("Summary rows match a recount."))
            return
        rows = summaries.rebuild()
        self.stdout.write(self.style.SUCCESS(f"Rebuilt {rows} summary rows."))
