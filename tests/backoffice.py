"""Shared helpers and fixtures of the back-office tests (import the fixtures you use)."""

import datetime
import itertools

from django.contrib.auth.models import Group, User
from django.utils import timezone

import pytest

from registrations.choices import Status
from registrations.models import Registration


_codes = itertools.count(10_000_001)
_mobiles = itertools.count(1)


def make_registration(campaign, **fields) -> Registration:
    """A registration as the services leave it (confirmed by default), saved normally."""
    created_at = fields.pop("created_at", None)
    values = {
        "campaign": campaign,
        "tracking_code": str(next(_codes)),
        "status": Status.CONFIRMED,
        "source": "web",
        "language": "fa",
        "kind": "ngo",
        "organisation_name": "انجمن یاوران محله",
        "province": "tehran",
        "city": "تهران",
        "fields_of_activity": ["education"],
        "capacities": ["volunteers"],
        "representative_name": "مریم احمدی",
        "mobile": f"+98912{next(_mobiles):07d}",
        "national_code": "0499370899",
        "consent": True,
        "confirmed_at": timezone.now(),
    }
    values.update(fields)
    registration = Registration.objects.create(**values)
    if created_at is not None:
        Registration.objects.filter(pk=registration.pk).update(created_at=created_at)
        registration.refresh_from_db()
    return registration


def tehran(year, month, day, hour=12):
    return timezone.make_aware(datetime.datetime(year, month, day, hour))


def _user(username, group_name):
    user = User.objects.create_user(username, password="pw-for-tests")
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def manager(db):
    return _user("manager-user", "Registration managers")


@pytest.fixture
def editor(db):
    return _user("editor-user", "Editors")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


__all__ = [
    "editor",
    "editor_client",
    "make_registration",
    "manager",
    "manager_client",
    "tehran",
]
