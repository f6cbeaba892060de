from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from registrations.services import retention


class Command(BaseCommand):
    help = (
        "Delete (or with --anonymise, strip the personal data of) registrations older than "
        "REGISTRATION_RETENTION_DAYS, with the SMS rows of that age. A dry run unless --commit."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-days",
            type=int,
            default=settings.REGISTRATION_RETENTION_DAYS,
            help="Age in days (default: REGISTRATION_RETENTION_DAYS = %(default)s).",
        )
        parser.add_argument(
            "--anonymise",
            action="store_true",
            help="Keep the rows for statistics but blank every field that identifies a person.",
        )
        parser.add_argument(
            "--commit", action="store_true", help="Really change the data (default: dry run)."
        )

    def handle(self, *args, older_than_days, anonymise, commit, **options):
        try:
            report = retention.purge(
                older_than_days=older_than_days, anonymise=anonymise, commit=commit
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        verb = "anonymised" if anonymise else "deleted"
        prefix = "" if commit else "dry run: would have "
        self.stdout.write(
            f"{prefix}{verb} {report.registrations} registrations created before "
            f"{report.cutoff:%Y-%m-%d %H:%M} UTC; deleted {report.sms_messages} SMS and "
            f"{report.inbound_sms} received SMS"
        )
        if not commit and (report.registrations or report.sms_messages or report.inbound_sms):
            self.stdout.write("Run again with --commit to apply.")
