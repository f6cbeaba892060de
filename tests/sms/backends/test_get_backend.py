from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

import pytest

from sms.backends import get_backend
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
