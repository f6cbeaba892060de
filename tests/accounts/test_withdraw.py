"""A group withdraws a registration: kept as withdrawn, no more SMS it did not ask for."""

from wagtail.models import ModelLogEntry

from accounts import services
from accounts.purposes import SIGN_IN_LINK
from interventions.purposes import INVITATION
from registrations.choices import Status
from registrations.models import Registration
from sms.choices import SmsStatus
from sms.models import SmsOptOut
from sms.outbox import queue_sms

from .conftest import REPRESENTATIVE
from .test_profile import profile_form, signed_in, url


def test_withdrawing_keeps_the_registration_and_stops_sms(registration):
    client = signed_in()
    assert client.get(url(registration) + "withdraw/").status_code == 200
    response = client.post(url(registration) + "withdraw/", {"confirm": "yes"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Status.WITHDRAWN
    assert Registration.objects.filter(pk=registration.pk).exists()
    assert SmsOptOut.objects.filter(mobile=REPRESENTATIVE).exists()
    assert ModelLogEntry.objects.filter(action=services.WITHDRAWN).count() == 1
    # A message it did not ask for is not sent; it can still sign in and see the record.
    notice = queue_sms(recipient=REPRESENTATIVE, text="x", purpose=INVITATION)
    assert notice.status == SmsStatus.SUPPRESSED
    # What it asks for still reaches it: a sign-in link (texted keyword).
    asked = queue_sms(recipient=REPRESENTATIVE, text="x", purpose=SIGN_IN_LINK)
    assert asked.status == SmsStatus.QUEUED
    assert "انصراف" in client.get("/account/").content.decode()


def test_without_the_tick_nothing_is_withdrawn(registration):
    client = signed_in()
    client.post(url(registration) + "withdraw/", {})
    registration.refresh_from_db()
    assert registration.status == Status.CONFIRMED


def test_a_withdrawn_registration_cannot_be_edited(registration):
    client = signed_in()
    client.post(url(registration) + "withdraw/", {"confirm": "yes"})
    client.post(url(registration), profile_form(registration, city="کرج"))
    registration.refresh_from_db()
    assert registration.city == "تهران"


def test_another_groups_registration_cannot_be_withdrawn(campaign, registration):
    from tests.backoffice import make_registration

    other = make_registration(campaign, mobile="+989121110002")
    response = signed_in().post(url(other) + "withdraw/", {"confirm": "yes"})
    assert response.status_code == 404
    other.refresh_from_db()
    assert other.status == Status.CONFIRMED
