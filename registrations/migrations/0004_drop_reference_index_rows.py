"""Registrations and SMS rows are no longer in Wagtail's reference index: drop their rows."""

from django.db import migrations


def drop_rows(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    ReferenceIndex = apps.get_model("wagtailcore.ReferenceIndex")
    private = ContentType.objects.filter(app_label="registrations")
    ReferenceIndex.objects.filter(content_type__in=private).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0003_registration_managers_group"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(drop_rows, migrations.RunPython.noop)]
