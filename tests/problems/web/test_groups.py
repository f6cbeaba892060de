"""A group signed in with accounts reports and supports in the name of its own registration."""

import re

import pytest

from accounts.models import Member
from accounts.services import BACKEND, _member_for
from problems.choices import ReportStatus
from problems.models import Report, Support
from problems.purposes import REPORT_CODE, REPORT_RECEIPT
from registrations.choices import Status
from sms.models import SmsMessage
from tests.backoffice import make_registration
from tests.factories import CampaignPageFactory
from tests.problems.support import make_report, report_data


pytestmark = pytest.mark.django_db

REPORT = "/problems/report/"
GROUP_MOBILE = "+989121110001"


def sign_in_as(client, mobile=GROUP_MOBILE) -> Member:
    member = _member_for(mobile)
    client.force_login(member.user, backend=BACKEND)
    return member


@pytest.fixture
def group(demo):
    return make_registration(
        demo, mobile=GROUP_MOBILE, organisation_name="انجمن همیاران کرج", city="کرج"
    )


def test_a_signed_in_group_reports_in_its_name_without_a_code(client, group):
    sign_in_as(client)
    page = client.get(REPORT)
    html = page.content.decode()
    assert page.status_code == 200 and "انجمن همیاران کرج" in html
    assert 'name="show_group_name"' in html and 'name="group"' not in html
    response = client.post(REPORT, report_data(show_group_name="on"))
    assert response.status_code == 302
    report = Report.objects.get()
    assert report.group == group and report.show_group_name is True
    assert str(report.reporter_mobile) == GROUP_MOBILE
    # The receipt goes to the member who reported; no verification code was needed.
    assert SmsMessage.objects.filter(purpose=REPORT_CODE).count() == 0
    assert SmsMessage.objects.get(purpose=REPORT_RECEIPT).recipient == GROUP_MOBILE


def test_a_co_member_reports_for_the_group_and_hears_back_on_its_own_mobile(client, group):
    representative = _member_for(GROUP_MOBILE)
    co_member = Member.objects.create(
        user=type(representative.user).objects.create(username="co"),
        group=representative.group,
        mobile="+989351112222",
        role=Member.Role.CO_MEMBER,
    )
    client.force_login(co_member.user, backend=BACKEND)
    assert client.post(REPORT, report_data()).status_code == 302
    report = Report.objects.get()
    assert report.group == group and str(report.reporter_mobile) == "+989351112222"


def test_a_group_with_two_registrations_chooses_among_its_own_only(client, demo, group):
    second = make_registration(
        CampaignPageFactory(), mobile=GROUP_MOBILE, organisation_name="کانون دوم"
    )
    stranger = make_registration(demo, organisation_name="گروه دیگر")
    withdrawn = make_registration(
        CampaignPageFactory(), mobile=GROUP_MOBILE, status=Status.WITHDRAWN
    )
    sign_in_as(client)
    html = client.get(REPORT).content.decode()
    choice = re.search(r'<select name="group".*?</select>', html, re.S).group(0)
    assert "کانون دوم" in choice and "انجمن همیاران کرج" in choice
    assert f'value="{second.pk}"' in choice and f'value="{group.pk}"' in choice
    assert f'value="{withdrawn.pk}"' not in choice and f'value="{stranger.pk}"' not in choice
    assert "گروه دیگر" not in html

    for crafted in (stranger.pk, withdrawn.pk, "x", ""):
        response = client.post(REPORT, report_data(group=str(crafted)))
        assert response.status_code == 400, crafted
        assert "معتبر" in response.content.decode() or "لازم" in response.content.decode()
    assert Report.objects.count() == 0
    assert SmsMessage.objects.count() == 0

    assert client.post(REPORT, report_data(group=str(second.pk))).status_code == 302
    assert Report.objects.get().group == second


def test_a_group_with_only_a_withdrawn_registration_is_asked_for_a_code(client, demo):
    make_registration(demo, mobile=GROUP_MOBILE, status=Status.WITHDRAWN)
    sign_in_as(client)
    response = client.get(REPORT)
    assert response.status_code == 302 and response["Location"] == "/problems/report/mobile/"


def test_a_signed_in_group_supports_once_in_its_name(client, demo, group):
    newest = make_registration(CampaignPageFactory(), mobile=GROUP_MOBILE, city="شیراز")
    report = make_report(status=ReportStatus.VERIFIED, mobile="+989120000000")
    sign_in_as(client)
    first = client.post(f"/problems/{report.number}/support/")
    assert first.status_code == 302 and "supported=1" in first["Location"]
    again = client.post(f"/problems/{report.number}/support/")
    assert again.status_code == 400 and "پیش‌تر" in again.content.decode()
    support = Support.objects.get()
    # For the newest of its registrations (its city counted), once for all of them.
    assert support.group == newest and support.mobile is None and support.city == "شیراز"
    report.refresh_from_db()
    assert (report.support_count, report.group_support_count) == (1, 1)


def test_staff_signed_in_are_citizens_here(client, admin_user):
    client.force_login(admin_user)
    response = client.get(REPORT)
    assert response.status_code == 302 and response["Location"] == "/problems/report/mobile/"
