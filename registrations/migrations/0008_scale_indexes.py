"""Indexes for the back office at a million registrations (PostgreSQL only).

- trigram GIN on the folded names (`search_text`) and on the mobile: the listing's
  substring searches (`LIKE '%…%'`) use them instead of reading every row;
- a plain index on the mobile (a whole number typed is looked up exactly) and a pattern
  index on the tracking code (a code's first digits find it with `LIKE '…%'`);
- GIN (jsonb_path_ops) on the lists of fields of activity and capacities, for the
  listing's filters, which use containment (`@>`) on PostgreSQL.

Built CONCURRENTLY, so a live table keeps taking registrations while they build (about
a minute at 1M rows); SQLite gets none of them and searches by scanning, as before.
"""

from django.db import migrations


INDEXES = {
    "registrations_search_text_trgm": "USING gin (search_text gin_trgm_ops)",
    "registrations_mobile_trgm": "USING gin (mobile gin_trgm_ops)",
    "registrations_mobile": "(mobile)",
    "registrations_tracking_code_prefix": "(tracking_code varchar_pattern_ops)",
    "registrations_activity_gin": "USING gin (fields_of_activity jsonb_path_ops)",
    "registrations_capacities_gin": "USING gin (capacities jsonb_path_ops)",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, definition in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} "
            f"ON registrations_registration {definition}"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("registrations", "0007_registration_summaries"),
    ]

    operations = [migrations.RunPython(create, drop)]
