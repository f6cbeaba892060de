"""pg_trgm and a trigram index on the folded text, for the duplicate lookup (PostgreSQL only).

SQLite has no trigrams; the service falls back to shared words there.
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS report_search_trgm ON problems_report "
        "USING gin (search_text gin_trgm_ops)"
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS report_search_trgm")


class Migration(migrations.Migration):
    dependencies = [("problems", "0002_seed_taxonomy")]

    operations = [migrations.RunPython(forwards, backwards)]
