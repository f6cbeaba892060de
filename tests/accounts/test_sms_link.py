"""Texting the account keyword (`ورود`) to the line: a signed, single-use, short-lived link."""

import re
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from wagtail.models import ModelLogEntry

from accounts import services
from accounts.models import SignInCode
from accounts.purposes import SIGN_IN_LINK
from persian.text import to_persian_digits
from registrations.purposes import RECEIPT
from sms import inbound
from sms.backends import InboundMessage
from sms.models import SmsMessage

from .conftest import REPRESENTATIVE, STRANGER


def text(sender, body="ورود", message_id="m1"):
    return inbound.receive(
        InboundMessage(
            provider="locmem",
            message_id=message_id,
            sender=sender,
            receiver="30001152",
            text=body,
            received_at=timezone.now(),
        )
    )


def link_path(mobile) -> str:
    message = SmsMessage.objects.get(recipient=mobile, purpose=SIGN_IN_LINK)
    return re.search(r"http://testserver(\S+)", message.text)[1]


def test_the_keyword_from_a_number_in_persian_digits_replies_with_a_link(registration):
    text("۰۹۱۲۱۱۱۰۰۰۱", "ورود")
    path = link_path(REPRESENTATIVE)
    assert path.startswith("/account/link/")


def test_opening_the_link_asks_first_and_signs_in_once(registration):
    text(REPRESENTATIVE)
    path = link_path(REPRESENTATIVE)
    client = Client()
    page = client.get(path)
    assert page.status_code == 200
    assert "_auth_user_id" not in client.session  # a link preview signs nobody in
    response = client.post(path)
    assert response.status_code == 302 and response.url == "/account/"
    my_group = client.get("/account/").content.decode()
    assert "گروه من" in my_group
    assert to_persian_digits(registration.tracking_code) in my_group
    entry = ModelLogEntry.objects.get(action=services.SIGN_IN)
    assert entry.data == {"via": "sms-link"}
    again = Client().post(path)
    assert again.status_code == 400
    assert "منقضی" in again.content.decode()


def test_an_old_link_is_refused(registration):
    text(REPRESENTATIVE)
    path = link_path(REPRESENTATIVE)
    SignInCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = Client().post(path)
    assert response.status_code == 400
    assert "_auth_user_id" not in Client().session


def test_a_tampered_link_is_refused(registration):
    text(REPRESENTATIVE)
    path = link_path(REPRESENTATIVE)
    response = Client().post(path[:-3] + "abc/")
    assert response.status_code == 400


def test_an_unregistered_number_gets_no_link(registration):
    text(STRANGER)
    assert not SmsMessage.objects.filter(recipient=STRANGER, purpose=SIGN_IN_LINK).exists()
    assert not SignInCode.objects.filter(mobile=STRANGER).exists()


def test_ten_texts_get_one_link(registration):
    for number in range(10):
        text(REPRESENTATIVE, message_id=f"m{number}")
    assert SmsMessage.objects.filter(recipient=REPRESENTATIVE, purpose=SIGN_IN_LINK).count() == 1


def test_the_registration_keyword_still_reaches_registrations(campaign, registration):
    text(REPRESENTATIVE, body="۹")
    assert not SignInCode.objects.exists()
    assert SmsMessage.objects.filter(recipient=REPRESENTATIVE, purpose=RECEIPT).exists()


def test_a_group_that_withdrew_still_gets_the_link_it_asks_for(registration):
    """Withdrawing opts the number out of SMS; a sign-in link is asked for, so it is sent."""
    from registrations.choices import Status
    from sms.choices import SmsStatus
    from sms.models import SmsOptOut

    registration.status = Status.WITHDRAWN
    registration.save(update_fields=["status"])
    SmsOptOut.objects.create(mobile=REPRESENTATIVE)
    text(REPRESENTATIVE)
    message = SmsMessage.objects.get(recipient=REPRESENTATIVE, purpose=SIGN_IN_LINK)
    assert message.status == SmsStatus.QUEUED
    response = Client().post(link_path(REPRESENTATIVE))
    assert response.status_code == 302 and response.url == "/account/"


def test_an_opted_out_stranger_still_gets_no_link(registration):
    from sms.models import SmsOptOut

    SmsOptOut.objects.create(mobile=STRANGER)
    text(STRANGER)
    assert not SmsMessage.objects.filter(recipient=STRANGER, purpose=SIGN_IN_LINK).exists()
