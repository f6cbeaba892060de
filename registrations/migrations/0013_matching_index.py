"""An index for matching groups to interventions (interventions.matching), PostgreSQL only.

Partial on approved rows (a fifth of the table), keyed by place, and covering what the
ranking reads (kind, fields of activity, capacities), so a city's tens of thousands of
approved groups are scored by an index-only scan without touching the table; the
fields and capacities are also GIN-indexed (0008) for the listing's filters.

Built CONCURRENTLY, so a live table keeps taking registrations while it builds.
"""

from django.db import migrations


NAME = "registrations_matching"
DEFINITION = (
    "(province, city) INCLUDE (id, kind, fields_of_activity, capacities) "
    "WHERE status = 'approved'"
)


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
