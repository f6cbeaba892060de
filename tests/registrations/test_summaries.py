# ruff: noqa: F403, F405 - the back-office fixtures come from tests.backoffice
"""The dashboard's summary rows stay equal to a recount, whatever writes the registrations."""

import datetime
import itertools

from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from registrations import summaries
from registrations.backoffice import review
from registrations.choices import ActivityField, Capacity, Kind, Province, Source, Status
from registrations.models import Registration, RegistrationSummary
from sms.choices import SmsStatus
from sms.models import SmsMessage
from tests.backoffice import *


pytestmark = pytest.mark.django_db

_mobiles = itertools.count(5_000_000)
_codes = itertools.count(50_000_000)

provinces = st.sampled_from([*Province.values, ""])
code_lists = st.lists(st.sampled_from(ActivityField.values), max_size=3)
capacity_lists = st.lists(st.sampled_from(Capacity.values), max_size=3)


def _new(campaign, status, province, activities, capacities, hours_ago) -> Registration:
    return Registration(
        campaign=campaign,
        tracking_code=str(next(_codes)),
        mobile=f"+98935{next(_mobiles):07d}",
        status=status,
        source=Source.WEB,
        language="fa",
        kind=Kind.NGO,
        province=province,
        fields_of_activity=activities,
        capacities=capacities,
        consent=True,
        created_at=timezone.now() - datetime.timedelta(hours=hours_ago),
    )


class Writes(RuleBasedStateMachine):
    """Random creates, confirms, approvals, edits, bulk updates and deletes, SMS included."""

    campaign = None
    user = None

    @property
    def ids(self):
        return list(Registration.objects.order_by("pk").values_list("pk", flat=True))

    def _pick(self, index):
        ids = self.ids
        return Registration.objects.get(pk=ids[index % len(ids)])

    @rule(
        status=st.sampled_from(Status.values),
        province=provinces,
        activities=code_lists,
        capacities=capacity_lists,
        hours_ago=st.integers(0, 24 * 40),
    )
    def create(self, status, province, activities, capacities, hours_ago):
        registration = _new(self.campaign, status, province, activities, capacities, 0)
        registration.save()
        # created_at is auto_now_add: move it the way make_registration does
        Registration.objects.filter(pk=registration.pk).update(
            created_at=timezone.now() - datetime.timedelta(hours=hours_ago)
        )

    @rule(count=st.integers(1, 5), province=provinces, activities=code_lists)
    def bulk_create(self, count, province, activities):
        Registration.objects.bulk_create(
            _new(self.campaign, Status.DRAFT, province, activities, ["venue"], 3)
            for _ in range(count)
        )

    @precondition(lambda self: Registration.objects.exists())
    @rule(index=st.integers(0, 100))
    def confirm(self, index):
        registration = self._pick(index)
        registration.status = Status.CONFIRMED
        registration.confirmed_at = timezone.now()
        registration.save(update_fields=["status", "confirmed_at"])

    @precondition(lambda self: Registration.objects.filter(status__in=review.APPROVABLE).exists())
    @rule(index=st.integers(0, 100))
    def approve(self, index):
        ids = list(
            Registration.objects.filter(status__in=review.APPROVABLE).values_list("pk", flat=True)
        )
        review.approve(Registration.objects.get(pk=ids[index % len(ids)]), user=self.user)

    @precondition(lambda self: Registration.objects.exists())
    @rule(
        index=st.integers(0, 100),
        province=provinces,
        activities=code_lists,
        capacities=capacity_lists,
    )
    def edit(self, index, province, activities, capacities):
        registration = self._pick(index)
        registration.province = province
        registration.fields_of_activity = activities
        registration.capacities = capacities
        registration.organisation_name = "کانون ویرایش‌شده"
        registration.save()

    @rule(old=provinces, new=provinces, status=st.sampled_from(Status.values))
    def bulk_update(self, old, new, status):
        Registration.objects.filter(province=old).update(province=new, status=status)

    @precondition(lambda self: Registration.objects.exists())
    @rule(index=st.integers(0, 100))
    def delete(self, index):
        review.delete(self._pick(index), user=self.user)

    @rule(province=provinces)
    def bulk_delete(self, province):
        Registration.objects.filter(province=province).delete()

    @rule(status=st.sampled_from(SmsStatus.values))
    def sms(self, status):
        SmsMessage.objects.create(
            recipient="+989121111111",
            text="x",
            purpose="receipt",
            status=status,
        )

    @precondition(lambda self: SmsMessage.objects.exists())
    @rule(status=st.sampled_from(SmsStatus.values))
    def sms_status(self, status):
        SmsMessage.objects.filter(pk=SmsMessage.objects.order_by("?").first().pk).update(
            status=status
        )

    @rule()
    def fold(self):
        before = summaries.totals()
        summaries.fold()
        assert summaries.totals() == before
        keys = RegistrationSummary.objects.values_list("dimension", "value")
        assert len(keys) == len(set(keys))  # one row per key once folded

    @invariant()
    def incremental_equals_recount(self):
        assert summaries.totals() == summaries.recounted()

    def teardown(self):
        SmsMessage.objects.all().delete()
        Registration.objects.all().delete()


def test_summaries_equal_a_recount_after_random_writes(demo, manager):
    Writes.campaign = demo
    Writes.user = manager
    run_state_machine_as_test(
        Writes,
        settings=settings(
            max_examples=25,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )


def test_dashboard_counts_a_registration_once_per_listed_code(demo):
    make_registration(demo, fields_of_activity=["health", "health"], capacities=["venue"])

    totals = summaries.totals()

    assert totals["activity"] == {"health": 1}
    assert totals == summaries.recounted()


def test_day_is_the_tehran_date(demo):
    # 22:00 UTC is 01:30 the next day in Tehran.
    utc_late = datetime.datetime(2026, 3, 1, 22, 0, tzinfo=datetime.UTC)
    make_registration(demo, created_at=utc_late)

    assert summaries.totals()["day"] == {"2026-03-02": 1}


def test_rebuild_command_repairs_and_check_reports(demo):
    make_registration(demo, province="fars")
    make_registration(demo, province="qom")
    RegistrationSummary.objects.filter(dimension="province", value="fars").delete()

    with pytest.raises(CommandError, match="province=fars: 0 ≠ 1"):
        call_command("rebuild_registration_summaries", "--check")

    call_command("rebuild_registration_summaries")

    assert summaries.totals()["province"] == {"fars": 1, "qom": 1}
    call_command("rebuild_registration_summaries", "--check")  # no error


@pytest.mark.parametrize("extra", [0, 30])
def test_dashboard_and_admin_home_queries_do_not_grow_with_the_table(
    manager_client, demo, extra, django_assert_num_queries
):
    for _ in range(1 + extra):
        make_registration(demo)
    manager_client.get("/admin/")  # session, permissions and site caches warmed

    with django_assert_num_queries(DASHBOARD_QUERIES):
        response = manager_client.get("/admin/registrations/dashboard/")
    assert response.status_code == 200
    with django_assert_num_queries(ADMIN_HOME_QUERIES):
        response = manager_client.get("/admin/")
    assert response.status_code == 200


DASHBOARD_QUERIES = 12
# 18, and 3 for the atlas's staff map panel (summary rows, sign-ups per day, the filter
# form's campaigns): none grows with the table.
ADMIN_HOME_QUERIES = 21


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="TRUNCATE is PostgreSQL's")
def test_a_truncated_table_takes_its_summary_rows_with_it(demo):
    make_registration(demo, province="fars")
    SmsMessage.objects.create(recipient="+989121111111", text="x", purpose="receipt")
    with connection.cursor() as cursor:
        # The test's one transaction holds deferred foreign-key checks; TRUNCATE waits for none.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("TRUNCATE registrations_smsmessage")
    assert summaries.totals()["sms_status"] == {} and summaries.totals()["province"] == {"fars": 1}

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE registrations_registration CASCADE")

    assert summaries.totals() == summaries.recounted()
    assert summaries.totals()["status"] == {}
