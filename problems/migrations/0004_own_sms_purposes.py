"""Problems' SMS get their own purposes (problems/purposes.py); rows sent before keep meaning.

Codes, receipts and status updates are told apart by their subject (a mobile check or a
report); "update" was only ever problems'. The form link had no subject, like accounts'
sign-in link, so old links stay "link" (a purpose registrations still declares).
"""

from django.db import migrations


# (old purpose, new purpose, subject model or None for any subject)
RENAMES = [
    ("verification", "report_code", "mobilecheck"),
    ("receipt", "report_receipt", "report"),
    ("update", "report_update", None),
]


def _rename(apps, backwards):
    SmsMessage = apps.get_model("sms", "SmsMessage")
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = dict(
        ContentType.objects.filter(app_label="problems").values_list("model", "pk")
    )
    for old, new, model in RENAMES:
        rows = SmsMessage.objects.all()
        if model is not None:
            if model not in types:
                continue  # no content type yet: no message was ever sent for one
            rows = rows.filter(subject_type_id=types[model])
        rows.filter(purpose=new if backwards else old).update(purpose=old if backwards else new)


def forwards(apps, schema_editor):
    _rename(apps, backwards=False)


def backwards(apps, schema_editor):
    _rename(apps, backwards=True)


class Migration(migrations.Migration):
    dependencies = [
        ("problems", "0003_trigram_index"),
        ("sms", "0006_purposes_declared_by_apps"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
