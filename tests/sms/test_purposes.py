"""Each app declares the SMS purposes it sends; the gateway lists only its own and refuses the rest."""

import ast
import importlib
from pathlib import Path

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

import pytest

from accounts.models import CoMemberInvite, SignInCode
from problems.models import MobileCheck, Report
from registrations.models import Registration
from registrations.services import TooManyCodes, check_sms_allowance
from sms import inbound, outbox, purposes
from sms.choices import SmsStatus
from sms.models import SmsMessage, SmsOptOut


MOBILE = "+989123456789"

# Every purpose of every app, and whether it is asked for (sent after an opt-out).
EVERY_PURPOSE = {
    "help": False,
    "opt_out": True,
    "verification": True,
    "receipt": True,
    "link": False,
    "signin_code": True,
    "signin_link": True,  # asked for by texting the keyword, so it reaches a withdrawn group
    "mobile_check": True,
    "mobile_changed": True,
    "report_code": True,
    "report_receipt": True,
    "report_link": False,
    "report_update": False,
    "iv_stage": False,
    "iv_invitation": False,
}


@pytest.fixture
def scratch_registry(monkeypatch):
    """Declarations made in a test vanish after it."""
    monkeypatch.setattr(purposes, "_declared", dict(purposes._declared))


def test_the_choices_hold_every_purpose_of_every_app():
    field = SmsMessage._meta.get_field("purpose")
    assert dict(field.choices).keys() == EVERY_PURPOSE.keys()
    assert dict(purposes.choices()) == dict(field.choices)
    assert all(str(label) for _value, label in field.choices)


def test_the_gateway_declares_only_its_own_purposes():
    """No purpose of another app is named anywhere in the gateway's code."""
    declared = set()
    for path in Path(purposes.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "declare":
                declared.add(node.args[0].value)
    assert declared == {"help", "opt_out"}


@pytest.mark.django_db
def test_a_declared_purpose_is_a_valid_choice_and_shows_its_label():
    message = SmsMessage(recipient=MOBILE, text="x", purpose="signin_code")
    message.full_clean()
    assert message.get_purpose_display() == "کد ورود"


@pytest.mark.django_db
def test_an_undeclared_purpose_is_refused_and_nothing_is_written(
    django_capture_on_commit_callbacks,
):
    with (
        django_capture_on_commit_callbacks() as callbacks,
        pytest.raises(purposes.UndeclaredPurpose, match="'update' is not declared"),
    ):
        outbox.queue_sms(recipient=MOBILE, text="x", purpose="update")
    assert not SmsMessage.objects.exists() and callbacks == []
    with pytest.raises(ValidationError):
        SmsMessage(recipient=MOBILE, text="x", purpose="update").full_clean()
    with pytest.raises(purposes.UndeclaredPurpose):
        inbound.replied_recently(MOBILE, "lnk")


@pytest.mark.django_db
@pytest.mark.parametrize(("purpose", "asked_for"), EVERY_PURPOSE.items())
def test_opt_out_suppression_follows_each_apps_declaration(purpose, asked_for):
    SmsOptOut.objects.create(mobile=MOBILE)
    message = outbox.queue_sms(recipient=MOBILE, text="x", purpose=purpose)
    assert message.status == (SmsStatus.QUEUED if asked_for else SmsStatus.SUPPRESSED)
    # Without the opt-out everything goes.
    assert outbox.queue_sms(recipient="+989351112233", text="x", purpose=purpose).status == (
        SmsStatus.QUEUED
    )


@pytest.mark.django_db
def test_a_new_apps_purpose_needs_only_its_declaration(scratch_registry):
    purposes.declare("atlas_news", "Atlas news", transactional=False)
    purposes.declare("atlas_code", "Atlas code", transactional=True, code=True)
    SmsOptOut.objects.create(mobile=MOBILE)
    assert outbox.queue_sms(recipient=MOBILE, text="x", purpose="atlas_news").status == (
        SmsStatus.SUPPRESSED
    )
    assert outbox.queue_sms(recipient=MOBILE, text="x", purpose="atlas_code").status == (
        SmsStatus.QUEUED
    )
    assert "atlas_code" in purposes.codes()
    assert ("atlas_news", "Atlas news") in SmsMessage._meta.get_field("purpose").choices


def test_declaring_again_is_harmless_declaring_differently_is_refused(scratch_registry):
    assert purposes.declare("help", "Help reply", transactional=False) == "help"
    with pytest.raises(ValueError, match="already declared differently"):
        purposes.declare("help", "Help reply", transactional=True)
    with pytest.raises(ValueError, match="1 to 16 characters"):
        purposes.declare("a_purpose_too_long_for_it", "x", transactional=False)
    with pytest.raises(ValueError, match="1 to 16 characters"):
        purposes.declare("", "x", transactional=False)


def test_the_code_cap_counts_the_codes_of_every_app():
    assert purposes.codes() == ["mobile_check", "report_code", "signin_code", "verification"]


@pytest.mark.django_db
def test_codes_from_different_apps_share_the_daily_cap(settings):
    settings.REGISTRATION_DAILY_CODE_CAP = 4
    for purpose in purposes.codes():
        SmsMessage.objects.create(recipient=MOBILE, text="x", purpose=purpose)
    SmsMessage.objects.create(recipient=MOBILE, text="x", purpose="receipt")
    with pytest.raises(TooManyCodes):
        check_sms_allowance(MOBILE, cooldown=False)
    check_sms_allowance("+989351112233", cooldown=False)


# --- rows sent before the purposes were split keep their meaning -----------------------


def _sms(purpose, subject=None, subject_model=None):
    row = SmsMessage.objects.create(recipient=MOBILE, text="x", purpose=purpose, subject=subject)
    if subject_model is not None:
        SmsMessage.objects.filter(pk=row.pk).update(
            subject_type=ContentType.objects.get_for_model(subject_model), subject_id=1
        )
    return row.pk


def _run(module, direction):
    getattr(importlib.import_module(module), direction)(apps, None)


def _purposes(ids):
    return [SmsMessage.objects.get(pk=pk).purpose for pk in ids]


@pytest.mark.django_db
def test_accounts_rows_get_accounts_purposes_and_back():
    expires = timezone.now()
    code = SignInCode.objects.create(mobile=MOBILE, code_hash="h", expires_at=expires)
    change = SignInCode.objects.create(
        mobile=MOBILE, code_hash="h", expires_at=expires, kind=SignInCode.Kind.MOBILE_CHANGE
    )
    ids = [
        _sms("verification", code),
        _sms("verification", change),
        _sms("verification", subject_model=CoMemberInvite),
        _sms("receipt"),  # the mobile-changed notice: the one receipt without a subject
        _sms("link"),  # a sign-in link or a report form link: cannot be told apart
        _sms("verification", subject_model=Registration),
        _sms("receipt", subject_model=Registration),
    ]
    _run("accounts.migrations.0006_own_sms_purposes", "forwards")
    assert _purposes(ids) == [
        "signin_code",
        "mobile_check",
        "mobile_check",
        "mobile_changed",
        "link",
        "verification",
        "receipt",
    ]
    _run("accounts.migrations.0006_own_sms_purposes", "backwards")
    assert _purposes(ids) == [
        "verification",
        "verification",
        "verification",
        "receipt",
        "link",
        "verification",
        "receipt",
    ]


@pytest.mark.django_db
def test_problems_rows_get_problems_purposes_and_back():
    old = ["verification", "receipt", "update", "update", "receipt", "verification"]
    ids = [
        _sms("verification", subject_model=MobileCheck),
        _sms("receipt", subject_model=Report),
        _sms("update", subject_model=Report),
        _sms("update"),
        _sms("receipt", subject_model=Registration),
        _sms("verification", subject_model=Registration),
    ]
    # Stored as they were before: "update" is no longer declared, so bypass the outbox.
    _run("problems.migrations.0004_own_sms_purposes", "forwards")
    assert _purposes(ids) == [
        "report_code",
        "report_receipt",
        "report_update",
        "report_update",
        "receipt",
        "verification",
    ]
    _run("problems.migrations.0004_own_sms_purposes", "backwards")
    assert _purposes(ids) == old
