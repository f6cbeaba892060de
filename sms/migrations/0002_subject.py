# The SMS rows name what they were sent for generically (the gateway knows no registrations).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('sms', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='inboundsms',
            name='subject_id',
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='inboundsms',
            name='subject_type',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='contenttypes.contenttype'),
        ),
        migrations.AddField(
            model_name='smsmessage',
            name='subject_id',
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='smsmessage',
            name='subject_type',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='contenttypes.contenttype'),
        ),
        migrations.AddIndex(
            model_name='smsmessage',
            index=models.Index(fields=['subject_type', 'subject_id'], name='registratio_subject_15edc2_idx'),
        ),
    ]
