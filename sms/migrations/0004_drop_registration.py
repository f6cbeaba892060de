"""The registration columns go: the SMS app knows no registrations (0003 kept their values)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("sms", "0003_registration_becomes_subject"),
    ]

    operations = [
        migrations.RemoveField(model_name="smsmessage", name="registration"),
        migrations.RemoveField(model_name="inboundsms", name="registration"),
    ]
