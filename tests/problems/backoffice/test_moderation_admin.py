"""The moderation queue in Wagtail's admin: moderators only, filters, search, actions."""

from django.contrib.auth.models import Group, User

import pytest

from problems.choices import ReportStatus
from problems.models import Report
from problems.purposes import STATUS_UPDATE
from sms.models import SmsMessage
from tests.backoffice import editor, manager  # noqa: F401 - fixtures
from tests.problems.support import MOBILE, make_report


pytestmark = pytest.mark.django_db

QUEUE = "/admin/problems/reports/"


@pytest.fixture
def moderator_client(client):
    user = User.objects.create_user("moderator-under-test", password="pw-for-tests")
    user.groups.add(Group.objects.get(name="Problem moderators"))
    client.force_login(user)
    return client


@pytest.mark.parametrize("who", ["editor", "manager"])
def test_editors_and_registration_managers_get_403(client, request, who):
    user = request.getfixturevalue(who)
    report = make_report()
    client.force_login(user)
    for url in (QUEUE, f"{QUEUE}inspect/{report.pk}/"):
        assert client.get(url).status_code == 403
    assert client.post(f"{QUEUE}verify/{report.pk}/").status_code == 403
    assert Report.objects.get().status == ReportStatus.NEW


def test_the_queue_lists_filters_and_searches(moderator_client, django_assert_max_num_queries):
    first = make_report(title="اعتیاد در پارک")
    other = make_report(title="کم آبی روستا", city="بم", province="kerman")
    with django_assert_max_num_queries(25):
        html = moderator_client.get(QUEUE).content.decode()
    assert first.title in html and other.title in html
    html = moderator_client.get(QUEUE, {"province": "kerman"}).content.decode()
    assert other.title in html and first.title not in html
    # Arabic letter forms find the Persian text; Persian digits find the number.
    html = moderator_client.get(QUEUE, {"q": "اعتياد"}).content.decode()
    assert first.title in html and other.title not in html
    number = other.number.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))
    html = moderator_client.get(QUEUE, {"q": number}).content.decode()
    assert other.title in html and first.title not in html
    html = moderator_client.get(QUEUE, {"created_from": "1400/01/01"}).content.decode()
    assert first.title in html


def test_inspect_shows_the_reporters_fields_and_verify_works(moderator_client):
    report = make_report()
    html = moderator_client.get(f"{QUEUE}inspect/{report.pk}/").content.decode()
    assert "۰۹۱۲" in html or "912" in html
    response = moderator_client.post(f"{QUEUE}verify/{report.pk}/")
    assert response.status_code == 302
    assert Report.objects.get().status == ReportStatus.VERIFIED
    assert SmsMessage.objects.filter(recipient=MOBILE, purpose=STATUS_UPDATE).count() == 1


def test_reject_without_reason_is_refused_in_persian(moderator_client):
    report = make_report()
    response = moderator_client.post(f"{QUEUE}reject/{report.pk}/", {"reason": ""}, follow=True)
    assert "دلیل" in response.content.decode()
    assert Report.objects.get().status == ReportStatus.NEW
    assert not SmsMessage.objects.filter(purpose=STATUS_UPDATE).exists()


def test_merge_by_number_from_the_inspect_view(moderator_client):
    target = make_report(status=ReportStatus.VERIFIED)
    copy = make_report()
    bad = moderator_client.post(f"{QUEUE}merge/{copy.pk}/", {"into": "999"}, follow=True)
    assert "شماره" in bad.content.decode()
    moderator_client.post(f"{QUEUE}merge/{copy.pk}/", {"into": target.number})
    copy.refresh_from_db()
    assert copy.status == ReportStatus.MERGED and copy.merged_into_id == target.pk


def test_bulk_verify(moderator_client):
    reports = [make_report(), make_report()]
    url = "/admin/bulk/problems/report/verify/?" + "&".join(f"id={r.pk}" for r in reports)
    assert moderator_client.get(url).status_code == 200
    response = moderator_client.post(url)
    assert response.status_code == 302
    assert set(Report.objects.values_list("status", flat=True)) == {ReportStatus.VERIFIED}
    assert SmsMessage.objects.filter(purpose=STATUS_UPDATE).count() == 2


def test_bulk_reject_needs_a_reason(moderator_client):
    report = make_report()
    url = f"/admin/bulk/problems/report/reject/?id={report.pk}"
    response = moderator_client.post(url, {"reason": ""})
    assert response.status_code == 200
    assert Report.objects.get().status == ReportStatus.NEW
