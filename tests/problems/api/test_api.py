"""The problems API: taxonomy, public reports, code → token → report, supports, schema."""

import pytest

from problems import services
from problems.choices import ReportStatus
from problems.models import Report
from problems.purposes import REPORT_CODE
from sms.models import SmsMessage
from tests.problems.support import code_from, make_report, report_data


pytestmark = pytest.mark.django_db


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_taxonomy(client):
    body = client.get("/api/problems/taxonomy/").json()
    names = {p["name_fa"] for c in body["categories"] for p in c["problems"]}
    assert "حاشیه‌نشینی" in names
    problem = body["categories"][0]["problems"][0]
    assert problem["fields_of_activity"] and problem["capacities"]


def test_public_list_and_detail_hide_personal_data(client, django_assert_max_num_queries):
    report = make_report(status=ReportStatus.VERIFIED)
    make_report(status=ReportStatus.NEW, title="پنهان")
    with django_assert_max_num_queries(3):
        body = client.get("/api/problems/", {"province": "tehran"}).json()
    assert [r["number"] for r in body["results"]] == [report.number]
    detail = client.get(f"/api/problems/{report.number}/").json()
    text = str(detail)
    assert "9121234567" not in text and "reporter" not in text
    assert detail["history"][0]["status"] == "new"
    assert client.get("/api/problems/0000000/").status_code == 404


def test_bad_filters_are_refused_in_persian(client):
    response = client.get("/api/problems/", {"province": "atlantis"})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "province"
    # Found by schemathesis: an id too large for the database, a digit that is not 0-9.
    for problem in ("9" * 30, "²", "-1"):
        response = client.get("/api/problems/", {"problem": problem})
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == "problem"


def test_code_token_report_flow(client, django_capture_on_commit_callbacks):
    response = post(client, "/api/problems/codes/", {"mobile": "۰۹۳۵۱۱۱۲۲۳۳"})
    assert response.status_code == 201
    check_id = response.json()["check_id"]
    code = code_from(SmsMessage.objects.get(purpose=REPORT_CODE).text)
    wrong = post(client, f"/api/problems/codes/{check_id}/confirm/", {"code": "12345"})
    assert wrong.status_code == 400 and wrong.json()["errors"][0]["field"] == "code"
    token = post(client, f"/api/problems/codes/{check_id}/confirm/", {"code": code}).json()["token"]
    data = {k: v for k, v in report_data().items() if k != "may_contact"}
    data["problem"] = int(data["problem"])
    response = post(client, "/api/problems/reports/", {**data, "token": token, "may_contact": True})
    assert response.status_code == 201, response.json()
    report = Report.objects.get(number=response.json()["number"])
    assert report.source == "api" and str(report.reporter_mobile) == "+989351112233"
    assert "/problems/follow/" in response.json()["follow_url"]


@pytest.mark.parametrize(
    "body, status",
    [
        ({}, 403),
        ({"token": "forged"}, 403),
        ({"token": 5}, 403),
    ],
)
def test_a_report_without_a_verified_mobile_is_refused(client, body, status):
    response = post(client, "/api/problems/reports/", {**report_data(), **body})
    assert response.status_code == status
    assert "پیوند" in response.json()["errors"][0]["message"]
    assert Report.objects.count() == 0 and SmsMessage.objects.count() == 0


def test_wrong_types_and_values_are_refused_with_nothing_written(client):
    token = services.verified_mobile_token("+989351112233")
    for bad in ({"title": ["x"]}, {"province": "atlantis"}, {"title": ""}):
        response = post(client, "/api/problems/reports/", {**report_data(), "token": token, **bad})
        assert response.status_code == 400
    assert Report.objects.count() == 0 and SmsMessage.objects.count() == 0


def test_duplicates_answer_409_until_send_anyway(client):
    existing = make_report(status=ReportStatus.VERIFIED)
    token = services.verified_mobile_token("+989351112233")
    found = client.get(
        "/api/problems/duplicates/",
        {"problem": existing.problem_id, "city": "تهران", "text": existing.title},
    ).json()
    assert [r["number"] for r in found["results"]] == [existing.number]
    response = post(
        client, "/api/problems/reports/", {**report_data(may_contact=None), "token": token}
    )
    assert response.status_code == 409
    assert response.json()["duplicates"][0]["number"] == existing.number
    response = post(
        client,
        "/api/problems/reports/",
        {**report_data(may_contact=None), "token": token, "send_anyway": True},
    )
    assert response.status_code == 201


def test_support_once(client):
    report = make_report(status=ReportStatus.VERIFIED)
    token = services.verified_mobile_token("+989351112233")
    first = post(client, f"/api/problems/{report.number}/support/", {"token": token})
    assert first.status_code == 201 and first.json()["supports"] == 1
    again = post(client, f"/api/problems/{report.number}/support/", {"token": token})
    assert again.status_code == 409 and again.json()["errors"][0]["code"] == "already_supported"


def test_the_problems_api_is_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/problems/taxonomy/", "/api/problems/reports/", "/api/problems/{number}/"):
        assert path in schema
