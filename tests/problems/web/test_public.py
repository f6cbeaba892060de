"""The public list and report pages: verified reports only, no personal data, fixed queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from problems import services
from problems.choices import ReportStatus
from problems.models import Problem
from tests.backoffice import make_registration
from tests.problems.support import MOBILE, make_report, verify_browser


pytestmark = pytest.mark.django_db


def test_only_verified_reports_are_listed(client):
    shown = make_report(status=ReportStatus.VERIFIED, title="گزارش تأییدشده")
    for status in (ReportStatus.NEW, ReportStatus.REJECTED, ReportStatus.MERGED):
        make_report(status=status, title=f"پنهان {status}")
    html = client.get("/problems/").content.decode()
    assert shown.title in html and "پنهان" not in html
    assert client.get(f"/problems/{shown.number}/").status_code == 200
    hidden = make_report(status=ReportStatus.REJECTED)
    assert client.get(f"/problems/{hidden.number}/").status_code == 404
    assert client.get("/problems/not-a-number/").status_code == 404


def test_no_reporters_name_or_mobile_is_public(client, demo):
    group = make_registration(demo, organisation_name="انجمن پنهان", representative_name="مریم")
    report = make_report(status=ReportStatus.VERIFIED, group=group)
    for url in ("/problems/", f"/problems/{report.number}/"):
        html = client.get(url).content.decode()
        assert "۰۹۱۲۱۲۳۴۵۶۷" not in html and "9121234567" not in html
        assert "انجمن پنهان" not in html and "مریم" not in html


def test_a_group_name_shows_only_when_the_group_agreed(client, demo):
    group = make_registration(demo, organisation_name="انجمن یاوران")
    report = make_report(status=ReportStatus.VERIFIED, group=group)
    report.show_group_name = True
    report.save()
    assert "انجمن یاوران" in client.get(f"/problems/{report.number}/").content.decode()


def test_filters_and_sorting(client):
    water = Problem.objects.get(slug="water-shortage")
    low = make_report(status=ReportStatus.VERIFIED, title="کم اهمیت")
    high = make_report(status=ReportStatus.VERIFIED, title="پراهمیت", city="قم", province="qom")
    for i in range(3):
        services.support(report=high, mobile=f"+98935000000{i}", city="قم")
    html = client.get("/problems/").content.decode()
    assert html.index("پراهمیت") < html.index("کم اهمیت")
    html = client.get("/problems/", {"province": "qom"}).content.decode()
    assert "پراهمیت" in html and "کم اهمیت" not in html
    html = client.get("/problems/", {"problem": water.pk}).content.decode()
    assert "پراهمیت" not in html and "کم اهمیت" not in html
    html = client.get("/problems/", {"sort": "recent", "province": "<script>"}).content.decode()
    assert "<script>" not in html and low.title in html


def test_the_list_is_cached_and_a_support_refreshes_it(client):
    report = make_report(status=ReportStatus.VERIFIED)
    client.get("/problems/")
    with CaptureQueriesContext(connection) as cached:
        client.get("/problems/")
    services.support(report=report, mobile="+989350000001", city="تهران")
    from problems.services import public

    public.changed()  # the support's on_commit in a real request
    html = client.get("/problems/").content.decode()
    assert "حمایت‌ها: ۱" in html
    with CaptureQueriesContext(connection) as uncached:
        client.get("/problems/?page=2")
    assert len(cached) < len(uncached)


@pytest.mark.parametrize("count", [1, 25])
def test_public_pages_answer_in_a_fixed_number_of_queries(client, count, django_assert_num_queries):
    from problems.services import public

    reports = [make_report(status=ReportStatus.VERIFIED) for _ in range(count)]
    client.get("/problems/report/mobile/")  # the site, settings and locales: cached look-ups
    public.changed()  # the list itself is not cached yet
    # the problems for the filter, the count, the page of reports
    with django_assert_num_queries(3):
        assert client.get("/problems/?sort=recent").status_code == 200
    # the report with its problem and category, its photos, its history, its interventions
    with django_assert_num_queries(4):
        assert client.get(f"/problems/{reports[-1].number}/").status_code == 200


def test_support_from_the_page_needs_a_verified_mobile_and_counts_once(client):
    report = make_report(status=ReportStatus.VERIFIED, mobile="+989120000000")
    response = client.post(f"/problems/{report.number}/support/", {"city": "تهران"})
    assert response.status_code == 302 and "/problems/report/mobile/" in response["Location"]
    verify_browser(client, MOBILE)
    response = client.post(f"/problems/{report.number}/support/", {"city": "تهران"})
    assert response.status_code == 302
    again = client.post(f"/problems/{report.number}/support/", {"city": "تهران"})
    assert again.status_code == 400 and "پیش‌تر" in again.content.decode()
    report.refresh_from_db()
    assert report.support_count == 1


def test_a_group_supports_in_its_own_name(client, demo, monkeypatch):
    group = make_registration(demo, city="کرج", province="alborz")
    report = make_report(status=ReportStatus.VERIFIED)
    from problems.groups import GroupReporter

    reporter = GroupReporter(registrations=[group], mobile=group.mobile)
    monkeypatch.setattr("problems.web.views.signed_in_group", lambda request: reporter)
    assert client.post(f"/problems/{report.number}/support/").status_code == 302
    assert client.post(f"/problems/{report.number}/support/").status_code == 400
    report.refresh_from_db()
    assert (report.support_count, report.group_support_count) == (1, 1)


def test_english_list(client):
    make_report(status=ReportStatus.VERIFIED)
    html = client.get("/en/problems/").content.decode()
    assert '<html lang="en" dir="ltr">' in html and "Addiction" in html


def test_supporting_through_the_code_step_lands_back_on_the_report(client):
    from sms.models import SmsMessage
    from tests.problems.support import code_from

    report = make_report(status=ReportStatus.VERIFIED, mobile="+989120000000")
    response = client.post(f"/problems/{report.number}/support/", {"city": "تهران"})
    ask = response["Location"]
    assert ask == f"/problems/report/mobile/?next={report.number}"
    assert f'action="{ask}"' in client.get(ask).content.decode()
    response = client.post(ask, {"mobile": "۰۹۱۲۱۲۳۴۵۶۷"})
    assert response["Location"] == f"/problems/report/code/?next={report.number}"
    code = code_from(SmsMessage.objects.get(recipient=MOBILE).text)
    response = client.post(response["Location"], {"code": code})
    assert response["Location"] == f"/problems/{report.number}/?confirmed=1#support"
    page = client.get(response["Location"]).content.decode()
    assert "شمارهٔ موبایل شما تأیید شد" in page
    assert client.post(f"/problems/{report.number}/support/", {"city": "تهران"}).status_code == 302
    report.refresh_from_db()
    assert report.support_count == 1


@pytest.mark.parametrize("crafted", ["https://evil.example/", "//evil.example", "12", "../admin"])
def test_a_crafted_next_is_ignored(client, crafted):
    from sms.models import SmsMessage
    from tests.problems.support import code_from

    response = client.post(f"/problems/report/mobile/?next={crafted}", {"mobile": "09121234567"})
    assert response["Location"] == "/problems/report/code/"
    code = code_from(SmsMessage.objects.get(recipient=MOBILE).text)
    response = client.post(f"/problems/report/code/?next={crafted}", {"code": code})
    assert response["Location"] == "/problems/report/"


def test_pages_keep_the_order_and_hold_each_report_once(client):
    from problems.models import Report

    reports = [make_report(status=ReportStatus.VERIFIED, title=f"گزارش {i}") for i in range(23)]
    for i, report in enumerate(reports):
        Report.objects.filter(pk=report.pk).update(priority=i)
    api = [client.get("/api/problems/", {"page": n}).json() for n in (1, 2)]
    numbers = [r["number"] for body in api for r in body["results"]]
    assert numbers == [r.number for r in reversed(reports)]  # priority, highest first
    assert [len(body["results"]) for body in api] == [20, 3]
    page_two = client.get("/problems/?page=2").content.decode()
    assert all(f"/problems/{r.number}/" in page_two for r in reports[:3])
    assert f"/problems/{reports[3].number}/" not in page_two
