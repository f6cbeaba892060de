"""A group signed in through the account API reports and supports through /api/problems/."""

from django.contrib.auth import get_user_model

import pytest

from accounts.models import ApiToken
from accounts.services import BACKEND, _member_for, issue_token, revoke_token
from persian.text import to_persian_digits
from problems.choices import ReportStatus
from problems.models import Report, Support
from problems.purposes import REPORT_CODE, REPORT_RECEIPT
from registrations.choices import Status
from sms.models import SmsMessage
from tests.backoffice import make_registration
from tests.factories import CampaignPageFactory
from tests.problems.support import make_report, report_data


pytestmark = pytest.mark.django_db

GROUP_MOBILE = "+989121110001"
REPORTS = "/api/problems/reports/"


def post(client, url, data, **headers):
    return client.post(url, data, content_type="application/json", **headers)


def bearer(mobile=GROUP_MOBILE) -> dict:
    key, _token = issue_token(_member_for(mobile))
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def json_report(**overrides) -> dict:
    data = {k: v for k, v in report_data().items() if k != "may_contact"}
    return {**data, "problem": int(data["problem"]), **overrides}


@pytest.fixture
def group(demo):
    return make_registration(
        demo, mobile=GROUP_MOBILE, organisation_name="انجمن همیاران کرج", city="کرج"
    )


def nothing_written():
    return Report.objects.count() == 0 and SmsMessage.objects.count() == 0


def test_a_group_reports_with_its_bearer_token_and_no_code(client, group):
    response = post(client, REPORTS, json_report(show_group_name=True), **bearer())
    assert response.status_code == 201, response.json()
    report = Report.objects.get(number=response.json()["number"])
    assert report.group == group and report.show_group_name is True
    assert report.source == "api" and str(report.reporter_mobile) == GROUP_MOBILE
    assert SmsMessage.objects.filter(purpose=REPORT_CODE).count() == 0
    assert SmsMessage.objects.get(purpose=REPORT_RECEIPT).recipient == GROUP_MOBILE


def test_a_member_session_reports_for_the_group_too(client, group):
    client.force_login(_member_for(GROUP_MOBILE).user, backend=BACKEND)
    response = post(client, REPORTS, json_report())
    assert response.status_code == 201, response.json()
    assert Report.objects.get().group == group


def test_a_group_with_several_registrations_names_one_of_its_own(client, demo, group):
    second = make_registration(
        CampaignPageFactory(), mobile=GROUP_MOBILE, organisation_name="کانون دوم"
    )
    stranger = make_registration(demo, organisation_name="گروه دیگر")
    withdrawn = make_registration(
        CampaignPageFactory(), mobile=GROUP_MOBILE, status=Status.WITHDRAWN
    )
    auth = bearer()
    unnamed = post(client, REPORTS, json_report(), **auth)
    assert unnamed.status_code == 400
    assert unnamed.json()["errors"][0] == {
        "field": "registration",
        "code": "required",
        "message": unnamed.json()["errors"][0]["message"],
    }
    assert "کد پیگیری" in unnamed.json()["errors"][0]["message"]
    for other in (stranger, withdrawn):
        refused = post(client, REPORTS, json_report(registration=other.tracking_code), **auth)
        assert refused.status_code == 400
        error = refused.json()["errors"][0]
        assert error["field"] == "registration" and error["code"] == "invalid_choice"
        assert "گروه شما" in error["message"]
    for bad in (5, ["x"]):
        assert post(client, REPORTS, json_report(registration=bad), **auth).status_code == 400
    assert nothing_written()
    # Its own, in Persian digits as a phone keyboard types them.
    chosen = post(
        client,
        REPORTS,
        json_report(registration=to_persian_digits(group.tracking_code)),
        **auth,
    )
    assert chosen.status_code == 201, chosen.json()
    assert Report.objects.get().group == group
    assert second.pk != group.pk


def test_a_group_with_only_withdrawn_registrations_is_refused(client, demo):
    make_registration(demo, mobile=GROUP_MOBILE, status=Status.WITHDRAWN)
    response = post(client, REPORTS, json_report(), **bearer())
    assert response.status_code == 400
    assert response.json()["errors"][0]["code"] == "no_registration"
    assert nothing_written()


def test_a_group_supports_once_whichever_registration_it_names(client, demo, group):
    second = make_registration(CampaignPageFactory(), mobile=GROUP_MOBILE, city="ساوه")
    report = make_report(status=ReportStatus.VERIFIED)
    url = f"/api/problems/{report.number}/support/"
    auth = bearer()
    first = post(client, url, {}, **auth)
    assert first.status_code == 201, first.json()
    assert first.json()["supports"] == 1 and first.json()["supporting_groups"] == 1
    again = post(client, url, {"registration": group.tracking_code}, **auth)
    assert again.status_code == 409 and again.json()["errors"][0]["code"] == "already_supported"
    # Unnamed, the newest registration supports; its city is the one counted.
    support = Support.objects.get()
    assert support.group == second and support.mobile is None and support.city == "ساوه"


def test_a_group_cannot_support_for_another_groups_registration(client, demo, group):
    stranger = make_registration(demo, organisation_name="گروه دیگر")
    report = make_report(status=ReportStatus.VERIFIED)
    response = post(
        client,
        f"/api/problems/{report.number}/support/",
        {"registration": stranger.tracking_code},
        **bearer(),
    )
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "registration"
    assert Support.objects.count() == 0


def test_a_staff_session_is_not_a_group(client, group):
    staff = get_user_model().objects.create_user("staff-grpapi", is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = post(client, REPORTS, json_report())
    # No group: a citizen without a code token.
    assert response.status_code == 403 and response.json()["errors"][0]["code"] == "link_invalid"
    report = make_report(status=ReportStatus.VERIFIED)
    SmsMessage.objects.all().delete()
    support = post(client, f"/api/problems/{report.number}/support/", {})
    assert support.status_code == 403
    assert Report.objects.count() == 1 and Support.objects.count() == 0
    assert SmsMessage.objects.count() == 0


@pytest.mark.parametrize("header", ["Bearer revoked", "Bearer", "Bearer a b"])
def test_a_revoked_or_malformed_token_is_401(client, group, header):
    auth = bearer()
    if header == "Bearer revoked":
        revoke_token(ApiToken.objects.get())
        header = auth["HTTP_AUTHORIZATION"]
    response = post(client, REPORTS, json_report(), HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    error = response.json()["errors"][0]
    assert error["code"] == "token_invalid" and "دوباره وارد شوید" in error["message"]
    report = make_report(status=ReportStatus.VERIFIED)
    support = post(client, f"/api/problems/{report.number}/support/", {}, HTTP_AUTHORIZATION=header)
    assert support.status_code == 401 and Support.objects.count() == 0


def test_the_schema_names_the_account_api_security_on_report_and_support(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    for path in ("/api/problems/reports/", "/api/problems/{number}/support/"):
        operation = schema["paths"][path]["post"]
        assert {"memberToken": []} in operation["security"]
        assert {"memberSession": []} in operation["security"]
        assert {} in operation["security"]  # a citizen with a code token needs no account
        assert "401" in operation["responses"]
    assert schema["paths"]["/api/problems/"]["get"]["security"] == [{}]


def test_a_member_session_needs_the_csrf_token(group):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(_member_for(GROUP_MOBILE).user, backend=BACKEND)
    response = post(client, REPORTS, json_report())
    assert response.status_code == 403
    assert response.json()["errors"][0]["code"] == "permission_denied"
    assert nothing_written()
