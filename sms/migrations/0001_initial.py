# The SMS tables move from registrations to this app without moving a row: the models are
# created here in state only, on the tables registrations made (their names are kept).
# Their `registration` column comes along for the moment: 0002 adds a generic subject, 0003-4
# copies the registration into it and drops the column (here, where the state knows every
# column: on SQLite a column is dropped by rebuilding the table from the state).

import django.db.models.deletion
import phonenumber_field.modelfields
import sms.models
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("registrations", "0005_smsmessage_idempotency_key"),
    ]

    state_operations = [
        migrations.CreateModel(
            name='SmsGatewayState',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('paused_at', models.DateTimeField(blank=True, null=True, verbose_name='paused at')),
                ('reason', models.TextField(blank=True, verbose_name='reason')),
            ],
            options={
                'verbose_name': 'SMS gateway state',
                'db_table': 'registrations_smsgatewaystate',
            },
        ),
        migrations.CreateModel(
            name='SmsOptOut',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('mobile', phonenumber_field.modelfields.PhoneNumberField(max_length=128, region='IR', unique=True, verbose_name='mobile')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
            ],
            options={
                'verbose_name': 'SMS opt-out',
                'verbose_name_plural': 'SMS opt-outs',
                'db_table': 'registrations_smsoptout',
            },
        ),
        migrations.CreateModel(
            name='InboundSms',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('provider', models.CharField(max_length=20, verbose_name='provider')),
                ('provider_message_id', models.CharField(max_length=64, verbose_name='provider message id')),
                ('sender', models.CharField(db_index=True, max_length=20, verbose_name='sender')),
                ('receiver', models.CharField(blank=True, max_length=20, verbose_name='line')),
                ('text', models.TextField(blank=True, verbose_name='text')),
                ('received_at', models.DateTimeField(auto_now_add=True, verbose_name='received')),
                ('outcome', models.CharField(blank=True, choices=[('keyword', 'Registration keyword'), ('repeat', 'Repeated keyword, no reply'), ('opt_out', 'Opt-out'), ('help', 'Help reply'), ('ignored', 'Ignored')], max_length=12, verbose_name='outcome')),
                ('registration', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='registrations.registration')),
            ],
            options={
                'verbose_name': 'received SMS',
                'verbose_name_plural': 'received SMS',
                'db_table': 'registrations_inboundsms',
                'ordering': ['-received_at'],
                'constraints': [models.UniqueConstraint(fields=('provider', 'provider_message_id'), name='inbound_sms_once_per_provider_id')],
            },
        ),
        migrations.CreateModel(
            name='SmsMessage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('recipient', phonenumber_field.modelfields.PhoneNumberField(db_index=True, max_length=128, region='IR', verbose_name='recipient')),
                ('text', models.TextField(verbose_name='text')),
                ('purpose', models.CharField(choices=[('verification', 'Verification code'), ('receipt', 'Receipt with tracking code'), ('link', 'Link to finish the form'), ('help', 'Help reply'), ('opt_out', 'Opt-out confirmation')], max_length=16, verbose_name='purpose')),
                ('status', models.CharField(choices=[('queued', 'Queued'), ('sending', 'Sending'), ('sent', 'Sent'), ('delivered', 'Delivered'), ('failed', 'Failed'), ('unknown', 'Unknown (needs checking)'), ('suppressed', 'Not sent (number opted out)')], default='queued', max_length=12, verbose_name='status')),
                ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                ('provider', models.CharField(blank=True, max_length=20, verbose_name='provider')),
                ('provider_message_id', models.CharField(blank=True, max_length=64, verbose_name='provider message id')),
                ('idempotency_key', models.BigIntegerField(default=sms.models.new_idempotency_key, editable=False, unique=True, verbose_name='idempotency key')),
                ('last_error', models.TextField(blank=True, verbose_name='last error')),
                ('created_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='created')),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('next_attempt_at', models.DateTimeField(blank=True, null=True, verbose_name='next attempt')),
                ('sent_at', models.DateTimeField(blank=True, null=True, verbose_name='sent')),
                ('delivered_at', models.DateTimeField(blank=True, null=True, verbose_name='delivered')),
                ('registration', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='registrations.registration', verbose_name='registration')),
            ],
            options={
                'verbose_name': 'SMS message',
                'verbose_name_plural': 'SMS messages',
                'db_table': 'registrations_smsmessage',
                'ordering': ['-created_at'],
                'indexes': [models.Index(fields=['status', 'next_attempt_at'], name='registratio_status_552386_idx'), models.Index(fields=['recipient', 'purpose', '-created_at'], name='registratio_recipie_5bb272_idx')],
            },
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations, database_operations=[])
    ]
