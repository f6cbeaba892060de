"""Each SMS row that pointed at a registration names it as its subject (0004 drops the column).

Reversible: going back fills the column again from the subjects that still exist. Apart
from 0004 because PostgreSQL refuses to alter a table with deferred constraint checks
pending from rows updated in the same transaction.
"""

from django.db import migrations


TABLES = ["registrations_smsmessage", "registrations_inboundsms"]


def _registration_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="registrations", model="registration")[0]


def registrations_to_subjects(apps, schema_editor):
    quote = schema_editor.connection.ops.quote_name
    type_id = _registration_type(apps).pk
    for table in TABLES:
        schema_editor.execute(
            f"UPDATE {quote(table)} SET subject_type_id = %s, subject_id = registration_id "
            "WHERE registration_id IS NOT NULL",
            [type_id],
        )


def subjects_to_registrations(apps, schema_editor):
    quote = schema_editor.connection.ops.quote_name
    type_id = _registration_type(apps).pk
    for table in TABLES:
        # Only subjects that still exist: the column is a real foreign key again.
        schema_editor.execute(
            f"UPDATE {quote(table)} SET registration_id = subject_id WHERE subject_type_id = %s "
            f"AND subject_id IN (SELECT id FROM {quote('registrations_registration')})",
            [type_id],
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("sms", "0002_subject"),
    ]

    operations = [
        migrations.RunPython(registrations_to_subjects, subjects_to_registrations),
    ]
