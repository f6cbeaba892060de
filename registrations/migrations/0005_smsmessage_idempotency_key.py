"""Outbound SMS get a random idempotency key (Kavenegar's localid) instead of their row id.

Rows already there keep their id as the key: a send interrupted before this migration is
retried with the localid it was first sent with.
"""

from django.db import migrations, models
from django.db.models import F

import sms.models


def keep_row_ids(apps, schema_editor):
    SmsMessage = apps.get_model("registrations", "SmsMessage")
    SmsMessage.objects.update(idempotency_key=F("id"))


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0004_drop_reference_index_rows"),
    ]

    operations = [
        migrations.AddField(
            model_name="smsmessage",
            name="idempotency_key",
            field=models.BigIntegerField(editable=False, null=True, verbose_name="idempotency key"),
        ),
        migrations.RunPython(keep_row_ids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="smsmessage",
            name="idempotency_key",
            field=models.BigIntegerField(
                default=sms.models.new_idempotency_key,
                editable=False,
                unique=True,
                verbose_name="idempotency key",
            ),
        ),
    ]
