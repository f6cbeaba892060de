"""Registering by texting the keyword: the inbound webhook, the reply link, opt-out and help."""

import re
from datetime import timedelta

from django.utils import timezone

import pytest

from registrations.choices import Status
from registrations.models import Registration
from registrations.purposes import VERIFICATION
from sms.choices import InboundOutcome
from sms.models import InboundSms, SmsMessage, SmsOptOut
from tests.factories import registration_form_data


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo", "quick_forms")]

WEBHOOK = "/sms/kavenegar/inbound/test-webhook-secret/"


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.SMS_WEBHOOK_SECRET = "test-webhook-secret"


def text_in(client, on_commit, body, sender="09123456789", message_id="1", to="30001152"):
    return on_commit(
        client.post,
        WEBHOOK,
        {"from": sender, "to": to, "message": body, "messageid": message_id},
    )


def link_from(sms_text: str) -> str:
    return re.search(r"https?://\S+", sms_text).group(0)


@pytest.mark.parametrize("body", ["9", "۹", "٩", " ۹ ", "\u200f9\u200e", "9."])
def test_the_keyword_in_any_digit_script_starts_a_verified_draft_and_replies_with_a_link(
    client, on_commit, sms_outbox, body
):
    response = text_in(client, on_commit, body, sender="۰۹۱۲۳۴۵۶۷۸۹")

    assert response.status_code == 200
    registration = Registration.objects.get()
    assert registration.status == Status.DRAFT
    assert registration.source == "sms"
    assert str(registration.mobile) == "+989123456789"
    assert registration.phone_verified_at is not None
    assert [m.to for m in sms_outbox] == ["+989123456789"]
    assert link_from(sms_outbox[0].text).startswith("http://testserver/s/")


def test_the_link_opens_the_form_with_the_mobile_filled_in_and_locked(
    client, on_commit, sms_outbox
):
    text_in(client, on_commit, "9")
    link = link_from(sms_outbox[0].text).removeprefix("http://testserver")

    response = client.get(link, follow=True)
    html = response.content.decode()

    assert response.status_code == 200
    assert response.redirect_chain[-1][0].startswith("/nehzat/register/?t=")
    mobile_input = re.search(r'<input[^>]*name="mobile"[^>]*>', html).group(0)
    assert "disabled" in mobile_input
    assert "0912 345 6789" in mobile_input or "+989123456789" in mobile_input


def test_finishing_the_form_from_the_link_confirms_without_a_code(client, on_commit, sms_outbox):
    text_in(client, on_commit, "9")
    token = link_from(sms_outbox[0].text).rsplit("/s/", 1)[1].strip("/")
    data = registration_form_data(mobile="09350000000", sms_token=token)

    response = on_commit(client.post, "/nehzat/register/", data)

    registration = Registration.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(f"/{registration.public_id}/done/")
    assert registration.status == Status.CONFIRMED
    assert str(registration.mobile) == "+989123456789"  # the posted mobile is ignored
    assert registration.organisation_name == "انجمن یاوران محله"
    assert registration.tracking_code in sms_outbox[-1].text
    assert SmsMessage.objects.filter(purpose=VERIFICATION).count() == 0


def test_a_forged_or_expired_link_is_refused(client, on_commit, sms_outbox, settings):
    response = client.get("/nehzat/register/?t=forged-token")
    assert response.status_code == 400
    assert "معتبر نیست" in response.content.decode()

    text_in(client, on_commit, "9")
    settings.SMS_LINK_MAX_AGE = -1
    link = link_from(sms_outbox[0].text).removeprefix("http://testserver")
    assert client.get(link).status_code == 400


def test_a_repeated_keyword_within_the_window_gets_no_second_reply(client, on_commit, sms_outbox):
    text_in(client, on_commit, "9", message_id="1")
    text_in(client, on_commit, "9", message_id="2")
    assert len(sms_outbox) == 1
    assert InboundSms.objects.get(provider_message_id="2").outcome == InboundOutcome.REPEAT
    assert Registration.objects.count() == 1


def test_a_repeated_keyword_after_the_window_gets_a_fresh_link(client, on_commit, sms_outbox):
    text_in(client, on_commit, "9", message_id="1")
    SmsMessage.objects.update(created_at=timezone.now() - timedelta(hours=2))
    text_in(client, on_commit, "9", message_id="2")
    assert len(sms_outbox) == 2


def test_the_same_provider_message_twice_is_handled_once(client, on_commit, sms_outbox):
    text_in(client, on_commit, "9", message_id="77")
    response = text_in(client, on_commit, "9", message_id="77")
    assert response.status_code == 200
    assert InboundSms.objects.count() == 1
    assert len(sms_outbox) == 1


def test_a_registered_number_texting_the_keyword_gets_its_tracking_code(
    client, on_commit, sms_outbox
):
    text_in(client, on_commit, "9", message_id="1")
    Registration.objects.update(status=Status.CONFIRMED, consent=True)
    SmsMessage.objects.update(created_at=timezone.now() - timedelta(hours=2))
    text_in(client, on_commit, "9", message_id="2")
    registration = Registration.objects.get()
    assert registration.tracking_code in sms_outbox[-1].text


def test_opt_out_stops_further_messages(client, on_commit, sms_outbox):
    text_in(client, on_commit, "لغو", message_id="1")
    assert SmsOptOut.objects.filter(mobile="+989123456789").exists()
    assert len(sms_outbox) == 1  # the one confirmation of the opt-out

    text_in(client, on_commit, "سلام", message_id="2")  # would get a help reply
    assert len(sms_outbox) == 1
    assert SmsMessage.objects.filter(status="suppressed").count() == 1


def test_anything_else_gets_one_short_help_reply(client, on_commit, sms_outbox):
    text_in(client, on_commit, "سلام، چطور ثبت نام کنم؟", message_id="1")
    text_in(client, on_commit, "کمک", message_id="2")
    assert len(sms_outbox) == 1
    assert "۹" in sms_outbox[0].text or "9" in sms_outbox[0].text


def test_a_text_from_a_landline_or_short_code_is_stored_and_ignored(client, on_commit, sms_outbox):
    text_in(client, on_commit, "9", sender="02188776655")
    assert InboundSms.objects.get().outcome == InboundOutcome.IGNORED
    assert not Registration.objects.exists()
    assert sms_outbox == []


def test_a_wrong_secret_is_refused_and_writes_nothing(client, sms_outbox):
    response = client.post(
        "/sms/kavenegar/inbound/wrong-secret/", {"from": "09123456789", "message": "9"}
    )
    assert response.status_code == 403
    assert not InboundSms.objects.exists()
    assert not Registration.objects.exists()


def test_an_unknown_provider_is_refused(client):
    response = client.post(
        "/sms/registrations.views.evil/inbound/test-webhook-secret/",
        {"from": "0912", "message": "9"},
    )
    assert response.status_code == 403


def test_a_push_without_sender_or_text_is_a_bad_request(client):
    response = client.post(WEBHOOK, {"message": "9"})
    assert response.status_code == 400
    assert not InboundSms.objects.exists()


def test_the_webhook_accepts_get_too(client, on_commit, sms_outbox):
    response = on_commit(
        client.get, WEBHOOK, {"from": "09123456789", "message": "9", "messageid": "5"}
    )
    assert response.status_code == 200
    assert Registration.objects.count() == 1


def test_pulled_inbound_messages_take_the_same_path(on_commit, sms_outbox):
    from sms import inbound
    from sms.backends import InboundMessage, locmem

    locmem.inbox.append(
        InboundMessage(
            provider="locmem",
            message_id="9001",
            sender="+989121111111",
            receiver="30001152",
            text="۹",
        )
    )
    assert on_commit(inbound.pull_inbound) == 1
    assert Registration.objects.get().source == "sms"
    assert len(sms_outbox) == 1
