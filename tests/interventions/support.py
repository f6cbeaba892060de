"""Shared helpers of the interventions tests: verified reports, groups, a facilitator, staff."""

import datetime
import itertools

from django.contrib.auth.models import Group, User
from django.utils import timezone

from problems.choices import ReportStatus
from registrations.choices import Kind, Status
from tests.backoffice import make_registration
from tests.problems.support import make_report


def verified_report(**fields):
    return make_report(status=ReportStatus.VERIFIED, **fields)


def approved_group(campaign, **fields):
    values = {"status": Status.APPROVED, "kind": Kind.NGO}
    values.update(fields)
    return make_registration(campaign, **values)


def facilitator(campaign, **fields):
    values = {
        "status": Status.APPROVED,
        "kind": Kind.FACILITATOR,
        "organisation_name": "",
        "representative_name": "زهرا کریمی",
        "fields_of_activity": ["social_harm"],
        "capacities": ["counselling"],
    }
    values.update(fields)
    return make_registration(campaign, **values)


_names = itertools.count(1)


def coordinator(username=None):
    user = User.objects.create_user(
        username or f"coordinator-{next(_names)}", password="pw-for-tests"
    )
    user.groups.add(Group.objects.get(name="Intervention coordinators"))
    return user


def staff(username=None):
    return User.objects.create_user(
        username or f"staff-{next(_names)}", password="pw-for-tests", is_staff=True
    )


def opened(campaign, *, user=None, reports=None, **fields):
    """An intervention opened through the service, for one verified report by default."""
    from interventions.services import stages

    user = user or coordinator()
    values = {
        "title": "کاهش اعتیاد جوانان نازی‌آباد",
        "aim": "کاهش مصرف مواد در میان جوانان محله با مشارکت خانواده‌ها و هیئت‌ها",
        "province": "tehran",
        "city": "تهران",
        "neighbourhood": "نازی‌آباد",
        "start_date": timezone.localdate(),
    }
    values.update(fields)
    if "facilitator_registration" not in values and "facilitator_user" not in values:
        values["facilitator_registration"] = facilitator(campaign)
    return stages.open_intervention(
        reports=reports if reports is not None else [verified_report()], user=user, **values
    )


def day(offset=0) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=offset)
