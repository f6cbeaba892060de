"""Accounts' SMS get their own purposes (accounts/purposes.py); rows sent before keep meaning.

A sign-in or confirmation code is told apart by its subject, the mobile-change notice by being
the only receipt sent with no subject. A sign-in link had no subject either, like problems'
form link, so old links stay "link" (a purpose registrations still declares).
"""

from django.db import migrations


# (old purpose, new purpose, subject model, SignInCode kinds or None for any)
RENAMES = [
    ("verification", "signin_code", "signincode", ["code"]),
    ("verification", "mobile_check", "signincode", ["mobile"]),
    ("verification", "mobile_check", "comemberinvite", None),
]


def _rename(apps, backwards):
    SmsMessage = apps.get_model("sms", "SmsMessage")
    SignInCode = apps.get_model("accounts", "SignInCode")
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = dict(
        ContentType.objects.filter(app_label="accounts").values_list("model", "pk")
    )
    for old, new, model, kinds in RENAMES:
        if model not in types:
            continue  # no content type yet: no message was ever sent for one
        rows = SmsMessage.objects.filter(subject_type_id=types[model])
        if kinds is not None:
            ids = SignInCode.objects.filter(kind__in=kinds).values_list("pk", flat=True)
            rows = rows.filter(subject_id__in=ids)
        rows.filter(purpose=new if backwards else old).update(purpose=old if backwards else new)
    notices = SmsMessage.objects.filter(subject_type__isnull=True)
    if backwards:
        notices.filter(purpose="mobile_changed").update(purpose="receipt")
    else:
        notices.filter(purpose="receipt").update(purpose="mobile_changed")


def forwards(apps, schema_editor):
    _rename(apps, backwards=False)


def backwards(apps, schema_editor):
    _rename(apps, backwards=True)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_managers_read_members_and_changes"),
        ("sms", "0006_purposes_declared_by_apps"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
