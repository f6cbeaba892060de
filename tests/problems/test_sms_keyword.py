"""Texting the problems keyword replies with a signed link to the form, mobile verified."""

import re

import pytest

from problems.models import ProblemSmsTexts, Report
from problems.purposes import REPORT_LINK
from registrations.purposes import LINK as registrations_link
from sms.choices import InboundOutcome
from sms.models import InboundSms, SmsMessage, SmsOptOut
from tests.problems.support import report_data


pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

WEBHOOK = "/sms/kavenegar/inbound/test-webhook-secret/"


@pytest.fixture(autouse=True)
def webhook_secret(settings):
    settings.SMS_WEBHOOK_SECRET = "test-webhook-secret"


def text_in(client, body, sender="09351112233", message_id="1"):
    return client.post(
        WEBHOOK, {"from": sender, "to": "30001152", "message": body, "messageid": message_id}
    )


@pytest.mark.parametrize("body", ["مسئله", "مسئله ", "۲", "2", "٢"])
def test_the_keyword_replies_with_a_link_that_opens_the_verified_form(client, body):
    assert text_in(client, body).status_code == 200
    assert InboundSms.objects.get().outcome == InboundOutcome.KEYWORD
    reply = SmsMessage.objects.get(purpose=REPORT_LINK)
    assert reply.recipient == "+989351112233"
    link = re.search(r"https?://\S+", reply.text).group(0)
    path = link.split("testserver", 1)[-1] if "testserver" in link else link.split("/", 3)[-1]
    path = "/" + path.lstrip("/")
    response = client.get(path)
    assert response.status_code == 200 and 'name="title"' in response.content.decode()
    response = client.post(path, report_data())
    assert response.status_code == 302
    assert str(Report.objects.get().reporter_mobile) == "+989351112233"


def test_the_keyword_is_a_setting(client, home_page):
    from wagtail.models import Site

    ProblemSmsTexts.objects.create(site=Site.objects.get(is_default_site=True), keyword="گزارش")
    from problems.services import forget_sms_texts

    forget_sms_texts()
    text_in(client, "گزارش")
    assert SmsMessage.objects.filter(purpose=REPORT_LINK).count() == 1


def test_ten_texts_one_reply(client):
    for i in range(3):
        text_in(client, "مسئله", message_id=str(i))
    assert SmsMessage.objects.filter(purpose=REPORT_LINK).count() == 1
    assert InboundSms.objects.filter(outcome=InboundOutcome.REPEAT).count() == 2


def test_no_link_after_opt_out(client):
    SmsOptOut.objects.create(mobile="+989351112233")
    text_in(client, "مسئله")
    assert SmsMessage.objects.get(purpose=REPORT_LINK).status == "suppressed"


def test_the_registration_keyword_still_registers(client):
    text_in(client, "9")
    assert InboundSms.objects.get().outcome == InboundOutcome.KEYWORD
    assert "ثبت" in SmsMessage.objects.get(purpose=registrations_link).text
