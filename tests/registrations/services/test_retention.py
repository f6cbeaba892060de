"""Old registrations are deleted or anonymised on schedule, and the admin's history says so."""

from datetime import timedelta
from io import StringIO

from django.core.management import CommandError, call_command
from django.utils import timezone

from wagtail.models import PageLogEntry

import pytest

from registrations.models import Registration
from sms.models import InboundSms, SmsMessage, SmsOptOut
from tests.factories import CampaignPageFactory, sms_for


pytestmark = pytest.mark.django_db


def _registration(campaign, mobile, days_old, **fields):
    registration = Registration.objects.create(
        campaign=campaign,
        tracking_code=mobile[-8:],
        source="web",
        language="fa",
        mobile=mobile,
        kind="ngo",
        province="tehran",
        city="تهران",
        organisation_name="انجمن یاوران",
        representative_name="مریم احمدی",
        national_code="0499370899",
        email="maryam@example.org",
        extra_answers={"q_1": "پاسخ"},
        consent=True,
        status="confirmed",
        **fields,
    )
    Registration.objects.filter(pk=registration.pk).update(
        created_at=timezone.now() - timedelta(days=days_old)
    )
    sms_for(registration, recipient=mobile, text="کد: 123456", purpose="verification")
    registration.sms_messages.update(created_at=timezone.now() - timedelta(days=days_old))
    return registration


@pytest.fixture
def campaign(db):
    return CampaignPageFactory()


@pytest.fixture
def old_and_new(campaign):
    old = _registration(campaign, "+989121111111", days_old=800)
    new = _registration(campaign, "+989122222222", days_old=10)
    return old, new


def _run(*args) -> str:
    out = StringIO()
    call_command("purge_old_registrations", *args, stdout=out)
    return out.getvalue()


def test_without_commit_it_only_reports(old_and_new):
    output = _run("--older-than-days", "730")
    assert "dry run: would have deleted 1 registrations" in output
    assert Registration.objects.count() == 2
    assert not PageLogEntry.objects.filter(action="registrations.retention").exists()


def test_old_registrations_and_their_sms_are_deleted(old_and_new):
    old, new = old_and_new
    output = _run("--older-than-days", "730", "--commit")
    assert "deleted 1 registrations" in output
    assert list(Registration.objects.all()) == [new]
    assert not SmsMessage.objects.filter(recipient="+989121111111").exists()
    assert SmsMessage.objects.filter(recipient="+989122222222").exists()


def test_the_configured_age_is_the_default(old_and_new, settings):
    settings.REGISTRATION_RETENTION_DAYS = 5
    from registrations.management.commands import purge_old_registrations

    command = purge_old_registrations.Command()
    parser = command.create_parser("manage.py", "purge_old_registrations")
    assert parser.parse_args([]).older_than_days == 5


def test_anonymising_keeps_the_statistics_and_drops_the_person(old_and_new):
    old, new = old_and_new
    _run("--older-than-days", "730", "--anonymise", "--commit")
    old.refresh_from_db()
    assert (old.kind, old.province, old.city, old.status) == ("ngo", "tehran", "تهران", "confirmed")
    assert old.representative_name == old.organisation_name == old.email == ""
    assert old.national_code == ""
    assert old.extra_answers == {}
    assert "1111111" not in str(old.mobile)
    new.refresh_from_db()
    assert new.representative_name == "مریم احمدی"


def test_anonymising_twice_changes_nothing_the_second_time(old_and_new):
    _run("--older-than-days", "730", "--anonymise", "--commit")
    assert "anonymised 0 registrations" in _run(
        "--older-than-days", "730", "--anonymise", "--commit"
    )


def test_each_run_is_written_to_the_campaign_history(old_and_new, campaign):
    _run("--older-than-days", "730", "--commit")
    entry = PageLogEntry.objects.get(action="registrations.retention")
    assert entry.page_id == campaign.pk
    assert entry.data["count"] == 1
    assert entry.data["mode"] == "delete"
    assert "730" in entry.message


def test_old_received_sms_go_but_opt_outs_stay(campaign):
    inbound = InboundSms.objects.create(
        provider="kavenegar", provider_message_id="1", sender="09121111111", text="9"
    )
    InboundSms.objects.filter(pk=inbound.pk).update(
        received_at=timezone.now() - timedelta(days=900)
    )
    SmsOptOut.objects.create(mobile="+989121111111")
    _run("--older-than-days", "730", "--commit")
    assert not InboundSms.objects.exists()
    assert SmsOptOut.objects.exists()


def test_a_nonsense_age_is_refused():
    with pytest.raises(CommandError):
        _run("--older-than-days", "0")
