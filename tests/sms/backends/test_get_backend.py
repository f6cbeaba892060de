from django.core import checks
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import override_settings

import pytest

from sms.backends import base, get_backend
from sms.backends.console import ConsoleBackend
from sms.backends.kavenegar import KavenegarBackend
from sms.backends.locmem import LocmemBackend
from sms.backends.smsir import SmsirBackend


def test_tests_use_locmem():
    assert isinstance(get_backend(), LocmemBackend)


@pytest.mark.parametrize(
    ("name", "backend_class"),
    [
        ("console", ConsoleBackend),
        ("locmem", LocmemBackend),
        ("kavenegar", KavenegarBackend),
        ("smsir", SmsirBackend),
        ("sms.backends.console.ConsoleBackend", ConsoleBackend),
    ],
)
def test_backend_follows_the_setting(name, backend_class):
    with override_settings(SMS_BACKEND=name):
        assert isinstance(get_backend(), backend_class)


def test_a_name_argument_wins_over_the_setting():
    assert isinstance(get_backend("console"), ConsoleBackend)


def test_unknown_backend_is_a_configuration_error():
    with override_settings(SMS_BACKEND="nexmo"), pytest.raises(ImproperlyConfigured):
        get_backend()


def test_backend_is_reused_while_settings_are_unchanged():
    assert get_backend("kavenegar") is get_backend("kavenegar")


def test_overridden_provider_settings_reach_the_backend():
    with override_settings(KAVENEGAR_BASE_URL="http://127.0.0.1:1", SMS_READ_TIMEOUT=0.25):
        backend = get_backend("kavenegar")
        assert backend.base_url == "http://127.0.0.1:1"
        assert backend.timeout[1] == 0.25
    assert get_backend("kavenegar").base_url != "http://127.0.0.1:1"


# --- the old registrations.sms paths -----------------------------------------------------

OLD_PATH = "registrations.sms.kavenegar.KavenegarBackend"


@pytest.fixture
def fresh_backends():
    """Back-ends are built once per name and process; these tests watch the building."""
    base._cache.clear()
    yield
    base._cache.clear()


def sms_checks(name):
    with override_settings(SMS_BACKEND=name):
        return [m for m in run_checks() if m.id.startswith("sms.")]


def test_an_old_path_still_works_with_a_deprecation_warning(fresh_backends):
    with (
        override_settings(SMS_BACKEND=OLD_PATH),
        pytest.warns(DeprecationWarning, match="use 'sms.backends.kavenegar.KavenegarBackend'"),
    ):
        assert isinstance(get_backend(), KavenegarBackend)


def test_an_old_path_warns_naming_the_new_one():
    [message] = sms_checks(OLD_PATH)
    assert message.id == "sms.W001" and message.level == checks.WARNING
    assert "sms.backends.kavenegar.KavenegarBackend" in message.hint
    assert "'kavenegar'" in message.hint


@pytest.mark.parametrize(
    "name",
    [
        "nexmo",
        "sms.backends.nexmo.NexmoBackend",
        "registrations.sms.nexmo.NexmoBackend",  # old place, but no such back-end either
        "sms.backends.base.SendResult",  # importable, but not a back-end
        "sms.backends.base.resolve",
    ],
)
def test_a_path_that_names_no_backend_is_an_error(name):
    [message] = sms_checks(name)
    assert message.id == "sms.E001" and message.level == checks.ERROR
    assert repr(name) in message.msg and "kavenegar" in message.hint


def test_an_error_stops_manage_py_check():
    with override_settings(SMS_BACKEND="nexmo"), pytest.raises(SystemCheckError, match="sms.E001"):
        call_command("check")


@pytest.mark.parametrize("name", ["console", "kavenegar", "sms.backends.smsir.SmsirBackend"])
def test_a_current_name_or_path_passes_the_check(name):
    assert sms_checks(name) == []


def test_a_class_that_is_no_backend_is_refused_at_use_too(fresh_backends):
    with (
        override_settings(SMS_BACKEND="sms.backends.base.SendResult"),
        pytest.raises(ImproperlyConfigured, match="not an SMS back-end class"),
    ):
        get_backend()
