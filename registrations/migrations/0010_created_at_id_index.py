"""(created_at, id): a deep listing page's ids come from the index alone (PostgreSQL).

See registrations/estimates.py: the page's 50 ids are read with an index-only scan, then
the rows; without `id` in the index every skipped row is fetched from the table.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX CONCURRENTLY IF NOT EXISTS registrations_created_at_id "
            "ON registrations_registration (created_at DESC, id DESC)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX CONCURRENTLY IF EXISTS registrations_created_at_id")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("registrations", "0009_export_jobs"),
    ]

    operations = [migrations.RunPython(create, drop)]
