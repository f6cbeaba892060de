"""Moderation, supports and priority: the rules, each with its SMS (or none)."""

from django.contrib.auth import get_user_model

from wagtail.models import ModelLogEntry

import pytest

from problems import services
from problems.choices import ReportStatus
from problems.models import Report, StatusChange, Support
from problems.purposes import STATUS_UPDATE
from sms.choices import SmsStatus
from sms.models import SmsMessage, SmsOptOut
from tests.backoffice import make_registration
from tests.factories import CampaignPageFactory
from tests.problems.support import MOBILE, make_report


pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    return get_user_model().objects.create_user("mod", password="x")


def updates(report):
    return list(
        SmsMessage.objects.filter(subject_id=report.pk, purpose=STATUS_UPDATE).order_by("pk")
    )


def test_verify_records_history_audit_and_tells_the_reporter(moderator):
    report = make_report()
    services.verify(report, user=moderator)
    report.refresh_from_db()
    assert report.status == ReportStatus.VERIFIED and report.verified_at
    assert list(StatusChange.objects.filter(report=report).values_list("status", flat=True)) == [
        "new",
        "verified",
    ]
    assert ModelLogEntry.objects.filter(action=services.VERIFY, object_id=str(report.pk)).exists()
    [sms] = updates(report)
    assert sms.recipient == MOBILE and report.number in sms.text and "تأیید" in sms.text


def test_reject_needs_a_reason_and_sends_it(moderator):
    report = make_report()
    with pytest.raises(services.ProblemError) as error:
        services.reject(report, user=moderator, reason="  ")
    assert "دلیل" in str(error.value)
    report.refresh_from_db()
    assert report.status == ReportStatus.NEW and not updates(report)

    services.reject(report, user=moderator, reason="گزارش تکراری و نامشخص است")
    report.refresh_from_db()
    assert report.status == ReportStatus.REJECTED
    assert "نامشخص" in updates(report)[0].text


def test_no_status_sms_after_opt_out(moderator):
    report = make_report()
    SmsOptOut.objects.create(mobile=MOBILE)
    services.verify(report, user=moderator)
    [sms] = updates(report)
    assert sms.status == SmsStatus.SUPPRESSED


def test_wrong_transitions_are_refused_and_change_nothing(moderator):
    report = make_report()
    with pytest.raises(services.WrongState):
        services.resolve(report, user=moderator)
    services.verify(report, user=moderator)
    with pytest.raises(services.WrongState):
        services.verify(report, user=moderator)
    assert len(updates(report)) == 1


def test_supports_count_once_per_mobile_and_group_and_feed_priority(moderator):
    report = make_report(status=ReportStatus.VERIFIED)
    campaign = CampaignPageFactory()
    group_a = make_registration(campaign, city="شیراز", province="fars")
    group_b = make_registration(campaign, city="تهران")
    services.support(report=report, mobile="+989350000001", city="تهران")
    with pytest.raises(services.AlreadySupported) as error:
        services.support(report=report, mobile="+989350000001", city="قم")
    assert "پیش‌تر" in str(error.value)
    services.support(report=report, mobile="+989350000002", city="تهران")
    services.support(report=report, group=group_a)
    services.support(report=report, group=group_b)
    with pytest.raises(services.AlreadySupported):
        services.support(report=report, group=group_a)
    report.refresh_from_db()
    assert (report.support_count, report.group_support_count, report.city_support_count) == (
        4,
        2,
        2,
    )
    assert report.priority == 4 + 3 * 2 + 2 * 2


def test_new_and_rejected_reports_cannot_be_supported():
    report = make_report()
    with pytest.raises(services.NotSupportable):
        services.support(report=report, mobile="+989350000001")
    assert Support.objects.count() == 0


def test_merge_carries_supports_and_the_reporter_over(moderator):
    target = make_report(status=ReportStatus.VERIFIED, mobile="+989120000000")
    copy = make_report(status=ReportStatus.VERIFIED, mobile="+989121111111")
    services.support(report=target, mobile="+989350000001", city="تهران")
    services.support(report=copy, mobile="+989350000001", city="تهران")  # on both: counted once
    services.support(report=copy, mobile="+989350000002", city="کرج")
    services.merge(copy, into=target, user=moderator)
    copy.refresh_from_db()
    target.refresh_from_db()
    assert copy.status == ReportStatus.MERGED and copy.merged_into == target
    mobiles = set(Support.objects.filter(report=target).values_list("mobile", flat=True))
    assert {str(m) for m in mobiles} == {"+989350000001", "+989350000002", "+989121111111"}
    assert target.support_count == 3 and copy.support_count == 0
    assert "ادغام" in updates(copy)[0].text
    assert ModelLogEntry.objects.filter(action=services.MERGE, object_id=str(copy.pk)).exists()


def test_merge_into_itself_or_a_closed_report_is_refused(moderator):
    report = make_report(status=ReportStatus.VERIFIED)
    closed = make_report(status=ReportStatus.REJECTED)
    for into in (report, closed):
        with pytest.raises(services.WrongState):
            services.merge(report, into=into, user=moderator)
    assert Report.objects.get(pk=report.pk).status == ReportStatus.VERIFIED
