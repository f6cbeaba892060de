"""Run in its own process on an empty database, or on a copy of one migrated to today's
layout (the test session's): a database laid out as before the sms app existed, filled with
registrations and SMS rows, migrates forward with every row intact.

Prints "OK" and exits 0, or fails an assertion. Used by tests/sms/test_migrations.py.
"""

import os
import sys

import django


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.migrations.executor import MigrationExecutor  # noqa: E402
from django.utils import timezone  # noqa: E402

from wagtail.models import Site  # noqa: E402

from campaigns.models import CampaignPage  # noqa: E402


BEFORE = ("registrations", "0005_smsmessage_idempotency_key")
SMS_FIELDS = ["id", "recipient", "text", "purpose", "status", "attempts", "provider"]
SMS_FIELDS += ["provider_message_id", "idempotency_key", "last_error", "created_at"]
SMS_FIELDS += ["sent_at", "delivered_at"]


def migrate(*args):
    call_command("migrate", *args, verbosity=0, interactive=False)
    ContentType.objects.clear_cache()


# Pages are not touched by the move: build a campaign with today's models, then step back.
migrate()
home = Site.objects.get(is_default_site=True).root_page
campaign = home.add_child(instance=CampaignPage(title="طرح", slug="tarh", sms_keyword="9"))
migrate("sms", "zero")  # unapplies registrations 0006 too: the layout main has today

old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
Registration = old.get_model("registrations", "Registration")
SmsMessage = old.get_model("registrations", "SmsMessage")
InboundSms = old.get_model("registrations", "InboundSms")
registrations = [
    Registration.objects.create(
        campaign_id=campaign.pk,
        tracking_code=f"T{i:07d}",
        status="confirmed",
        source="web",
        language="fa",
        mobile=f"+98912000000{i}",
        consent=True,
    )
    for i in range(3)
]
now = timezone.now()
for i, registration in enumerate(registrations):
    SmsMessage.objects.create(
        registration=registration,
        recipient=registration.mobile,
        text=f"کد {i}",
        purpose="verification",
        status="delivered",
        attempts=1,
        provider="kavenegar",
        provider_message_id=f"p{i}",
        idempotency_key=1000 + i,
        sent_at=now,
        delivered_at=now,
    )
SmsMessage.objects.create(
    recipient="+989120000009", text="راهنما", purpose="help", idempotency_key=9
)
InboundSms.objects.create(
    provider="kavenegar",
    provider_message_id="in1",
    sender="+989120000001",
    text="۹",
    outcome="keyword",
    registration=registrations[1],
)
InboundSms.objects.create(provider="kavenegar", provider_message_id="in2", sender="021", text="x")
old.get_model("registrations", "SmsOptOut").objects.create(mobile="+989120000008")
old.get_model("registrations", "SmsGatewayState").objects.create(pk=1, reason="no credit")
before = {m.pk: [str(getattr(m, f)) for f in SMS_FIELDS] for m in SmsMessage.objects.all()}
links = dict(SmsMessage.objects.values_list("pk", "registration_id"))

migrate()

from registrations.models import Registration as NewRegistration  # noqa: E402
from sms.models import InboundSms as NewInbound  # noqa: E402
from sms.models import SmsGatewayState, SmsOptOut  # noqa: E402
from sms.models import SmsMessage as NewSms  # noqa: E402


after = {m.pk: [str(getattr(m, f)) for f in SMS_FIELDS] for m in NewSms.objects.all()}
assert after == before, (before, after)
for message in NewSms.objects.all():
    expected = links[message.pk]
    assert (message.subject.pk if message.subject else None) == expected, message.pk
assert NewRegistration.objects.count() == 3
assert [s.pk for s in NewRegistration.objects.get(pk=registrations[0].pk).sms_messages] == [
    m.pk for m in NewSms.objects.filter(subject_id=registrations[0].pk, purpose="verification")
]
inbound = {i.provider_message_id: i for i in NewInbound.objects.all()}
assert inbound["in1"].subject.pk == registrations[1].pk and inbound["in1"].text == "۹"
assert inbound["in2"].subject is None
assert str(SmsOptOut.objects.get().mobile) == "+989120000008"
assert SmsGatewayState.objects.get(pk=1).reason == "no credit"
# The staff group's grant moved with the model.
managers = Group.objects.get(name="Registration managers")
assert managers.permissions.filter(
    content_type__app_label="sms", codename="view_smsmessage"
).exists()
assert not ContentType.objects.filter(app_label="registrations", model="smsmessage").exists()

# And back: the columns come back filled, nothing lost either way.
migrate("sms", "zero")
old = MigrationExecutor(connection).loader.project_state(BEFORE).apps
back = old.get_model("registrations", "SmsMessage")
assert dict(back.objects.values_list("pk", "registration_id")) == links
migrate()
sys.stdout.write("OK\n")
