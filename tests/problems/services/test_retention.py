"""Code checks (a typed mobile and a code's hash) are purged after the retention period."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

import pytest

from problems import services, tasks
from problems.models import MobileCheck
from sms.models import SmsMessage


pytestmark = pytest.mark.django_db


def _check(mobile, hours_ago):
    check = services.send_code(mobile=mobile, language="fa")
    MobileCheck.objects.filter(pk=check.pk).update(
        created_at=timezone.now() - timedelta(hours=hours_ago)
    )
    return check


def test_the_beat_task_is_scheduled_hourly():
    entry = settings.CELERY_BEAT_SCHEDULE["purge-problem-mobile-checks"]
    assert entry == {"task": "problems.tasks.purge_mobile_checks", "schedule": 3600.0}


def test_old_checks_go_recent_ones_stay_and_a_second_run_does_nothing(settings):
    settings.PROBLEM_MOBILE_CHECK_RETENTION_HOURS = 24
    old = _check("+989121230001", hours_ago=25)
    recent = _check("+989121230002", hours_ago=23)
    pending = services.send_code(mobile="+989121230003", language="fa")
    assert tasks.purge_mobile_checks.apply().get() == 1
    assert set(MobileCheck.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk}
    assert not MobileCheck.objects.filter(pk=old.pk).exists()
    # The SMS it sent stays (the daily cap counts those), and nothing else is touched.
    assert SmsMessage.objects.count() == 3
    assert tasks.purge_mobile_checks.apply().get() == 0


def test_a_purge_in_batches_deletes_them_all(settings, monkeypatch):
    from problems.services import retention

    monkeypatch.setattr(retention, "BATCH", 2)
    settings.PROBLEM_MOBILE_CHECK_RETENTION_HOURS = 1
    MobileCheck.objects.bulk_create(MobileCheck(mobile=f"+98912123{i:04d}") for i in range(5))
    MobileCheck.objects.update(created_at=timezone.now() - timedelta(hours=2))
    assert retention.purge_mobile_checks() == 5
    assert MobileCheck.objects.count() == 0


def test_a_check_purged_under_a_visitor_asks_for_a_new_code(client, settings):
    client.post("/problems/report/mobile/", {"mobile": "09121230009"})
    MobileCheck.objects.update(created_at=timezone.now() - timedelta(days=2))
    services.retention.purge_mobile_checks()
    response = client.post("/problems/report/code/", {"code": "123456"})
    assert response.status_code == 302 and response["Location"] == "/problems/report/mobile/"
