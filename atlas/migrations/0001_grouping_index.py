"""The index behind the atlas's one grouped count of approved registrations, PostgreSQL only.

Partial on approved rows (a fifth of the table) and keyed by exactly what the count groups
by (province, fields of activity, capacities): the count reads the index alone, in order,
without touching the table or sorting (bench/README.md: 0.2 s instead of 0.7–1.3 s at 1M
rows). It lives here, not in registrations, because only atlas.aggregates reads it.

Built CONCURRENTLY, so a live table keeps taking registrations while it builds.
"""

from django.db import migrations


NAME = "atlas_registration_grouping"
DEFINITION = "(province, fields_of_activity, capacities) WHERE status = 'approved'"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {NAME} ON registrations_registration {DEFINITION}"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {NAME}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("registrations", "0012_alter_registration_status"),
    ]

    operations = [migrations.RunPython(create, drop)]
