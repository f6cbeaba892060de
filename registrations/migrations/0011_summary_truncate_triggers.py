"""A TRUNCATE of the registrations or SMS table empties their summary rows too (PostgreSQL).

TRUNCATE fires no row or statement triggers of INSERT/UPDATE/DELETE; without these the
dashboard would keep counting rows that are gone. SQLite has no TRUNCATE.
"""

from django.db import migrations


FORWARD = """
CREATE FUNCTION registrations_summary_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'registrations_smsmessage' THEN
        DELETE FROM registrations_summary WHERE dimension = 'sms_status';
    ELSE
        DELETE FROM registrations_summary WHERE dimension <> 'sms_status';
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER registrations_summary_truncate AFTER TRUNCATE ON registrations_registration
    FOR EACH STATEMENT EXECUTE FUNCTION registrations_summary_truncated();
CREATE TRIGGER registrations_summary_sms_truncate AFTER TRUNCATE ON registrations_smsmessage
    FOR EACH STATEMENT EXECUTE FUNCTION registrations_summary_truncated();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS registrations_summary_truncate ON registrations_registration;
DROP TRIGGER IF EXISTS registrations_summary_sms_truncate ON registrations_smsmessage;
DROP FUNCTION IF EXISTS registrations_summary_truncated();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0010_created_at_id_index"),
    ]

    operations = [migrations.RunPython(forward, backward)]
