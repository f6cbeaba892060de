"""Rate limits, the daily code cap and arbitrary input: Persian refusals, nothing written."""

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from problems import services
from problems.models import MobileCheck, Report
from sms.models import SmsMessage
from tests.problems.support import report_data


pytestmark = pytest.mark.django_db


def test_code_requests_are_rate_limited_per_mobile(client, settings):
    settings.PROBLEM_MOBILE_RATE = "2/h"
    settings.REGISTRATION_RESEND_COOLDOWN = 0
    statuses = [
        client.post("/problems/report/mobile/", {"mobile": "09351112233"}).status_code
        for _ in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert SmsMessage.objects.count() == 2


def test_the_daily_code_cap_is_shared_and_refused_in_persian(client, settings):
    settings.REGISTRATION_DAILY_CODE_CAP = 1
    settings.REGISTRATION_RESEND_COOLDOWN = 0
    assert client.post("/problems/report/mobile/", {"mobile": "09351112233"}).status_code == 302
    response = client.post("/problems/report/mobile/", {"mobile": "09351112233"})
    assert response.status_code == 400
    assert "امروز" in response.content.decode() or "فردا" in response.content.decode()
    assert SmsMessage.objects.count() == 1 and MobileCheck.objects.count() == 1


def test_a_code_request_too_soon_is_refused(client):
    client.post("/problems/report/mobile/", {"mobile": "09351112233"})
    response = client.post("/problems/report/mobile/", {"mobile": "09351112233"})
    assert response.status_code == 400 and "ثانیه" in response.content.decode()
    assert SmsMessage.objects.count() == 1


def test_an_expired_or_overtried_code_is_refused(client, settings):
    settings.REGISTRATION_CODE_MAX_ATTEMPTS = 1
    client.post("/problems/report/mobile/", {"mobile": "09351112233"})
    client.post("/problems/report/code/", {"code": "000001"})
    response = client.post("/problems/report/code/", {"code": "000002"})
    assert response.status_code == 400 and "منقضی" in response.content.decode()
    assert client.get("/problems/report/").status_code == 302  # still not verified


TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    max_size=300,
)


@hsettings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(title=TEXT, city=TEXT, description=TEXT, people=st.sampled_from(["11-100", "x", ""]))
def test_any_text_is_a_report_or_a_clean_refusal(
    client, settings, title, city, description, people
):
    settings.PROBLEM_IP_RATE = "100000/h"  # this test is about the input, not the rate limit
    token = services.verified_mobile_token("+989351112233")
    before = Report.objects.count()
    response = client.post(
        "/api/problems/reports/",
        {
            **report_data(may_contact=None),
            "title": title,
            "city": city,
            "description": description,
            "people_affected": people,
            "token": token,
            "send_anyway": True,
        },
        content_type="application/json",
    )
    assert response.status_code in (201, 400), response.content
    created = Report.objects.count() - before
    assert created == (1 if response.status_code == 201 else 0)
