# ruff: noqa: F403, F405 - the back-office fixtures come from tests.backoffice
"""The dashboard's figures match the data; the command generates realistic data fast."""

import datetime
import re

from django.core.management import call_command
from django.utils import timezone

import pytest

from persian.text import to_ascii_digits
from registrations.backoffice import dashboard
from registrations.models import Registration
from sms.models import SmsMessage
from tests.backoffice import *


pytestmark = pytest.mark.django_db


def counts(html, chart) -> dict[str, int]:
    """code → count of the rows of one table on the page."""
    section = html.split(f'data-chart="{chart}"', 1)[1].split("</table>", 1)[0]
    pairs = re.findall(r'data-code="([^"]+)".*?data-count>([^<]+)<', section, flags=re.S)
    return {code: int(to_ascii_digits(count)) for code, count in pairs}


def test_dashboard_figures_match_the_data(manager_client, demo):
    make_registration(demo, province="fars", capacities=["venue", "funding"], status="approved")
    make_registration(demo, province="fars", capacities=["venue"])
    make_registration(
        demo, province="gilan", capacities=["volunteers"], fields_of_activity=["health"]
    )

    html = manager_client.get("/admin/registrations/dashboard/").content.decode()

    provinces = counts(html, "province")
    assert provinces["fars"] == 2 and provinces["gilan"] == 1 and provinces["tehran"] == 0
    capacities = counts(html, "capacity")
    assert capacities["venue"] == 2 and capacities["funding"] == 1 and capacities["volunteers"] == 1
    assert counts(html, "activity")["health"] == 1
    assert "۳ ثبت‌نام" in html


def test_status_figures(demo):
    make_registration(demo, status="approved")
    make_registration(demo, status="approved")
    make_registration(demo, status="rejected")

    figures = dashboard.registration_figures()

    by_status = {bar.code: bar.count for bar in figures["by_status"]}
    assert by_status["approved"] == 2 and by_status["rejected"] == 1 and figures["total"] == 3


def test_signups_per_day_use_tehran_days_with_zero_days(demo):
    today = timezone.localdate()
    late_tonight = timezone.make_aware(datetime.datetime.combine(today, datetime.time(23, 50)))
    make_registration(demo, created_at=late_tonight - datetime.timedelta(days=1))
    make_registration(demo, created_at=late_tonight - datetime.timedelta(days=1))
    make_registration(demo, created_at=late_tonight - datetime.timedelta(days=3))

    days = dashboard.signups_per_day(Registration.objects.all(), days=5, today=today)

    assert [d["count"] for d in days] == [0, 1, 0, 2, 0]


def test_sms_delivery_rate(demo):
    for status in ["delivered", "delivered", "delivered", "failed", "queued"]:
        SmsMessage.objects.create(
            recipient="+989121111111", text="x", purpose="receipt", status=status
        )

    figures = dashboard.sms_figures()

    assert figures["delivery_rate"] == 75.0
    assert figures["failed"] == 1 and figures["queued"] == 1


def test_home_panel_shows_the_figures_to_managers(manager_client, demo):
    make_registration(demo, province="qom")

    html = manager_client.get("/admin/").content.decode()

    assert "data-registrations-panel" in html
    assert "قم" in html


def test_jalali_axis_on_the_daily_chart(manager_client, demo):
    make_registration(demo)

    html = manager_client.get("/admin/registrations/dashboard/").content.decode()

    today = timezone.localdate()
    import jdatetime

    label = jdatetime.date.fromgregorian(date=today).strftime("%m/%d")
    assert to_ascii_digits(html).count(label) >= 1
    assert 'data-chart="per-day"' in html


def test_generate_registrations_makes_searchable_persian_data(demo):
    call_command("generate_registrations", count=300, seed=7, batch_size=100, stdout=None)

    generated = Registration.objects.filter(campaign=demo)
    assert generated.count() == 300
    assert generated.values("province").distinct().count() > 10
    assert not generated.filter(search_text="").exists()
    assert generated.filter(created_at__lt=timezone.now() - datetime.timedelta(days=7)).exists()
