import pickle

from django.http import QueryDict

import pytest

from sms.backends import (
    AccountSmsError,
    AmbiguousSmsError,
    ErrorKind,
    PermanentSmsError,
    SmsError,
    TransientSmsError,
)
from sms.backends.locmem import LocmemBackend


@pytest.mark.parametrize(
    ("error_class", "kind", "retry_safe"),
    [
        (TransientSmsError, ErrorKind.TRANSIENT, True),
        (PermanentSmsError, ErrorKind.PERMANENT, True),
        (AccountSmsError, ErrorKind.ACCOUNT, True),
        (AmbiguousSmsError, ErrorKind.AMBIGUOUS, False),
    ],
)
def test_error_classes_carry_their_kind(error_class, kind, retry_safe):
    error = error_class("boom", code="418")
    assert isinstance(error, SmsError)
    assert (error.kind, error.code, error.message, error.retry_safe) == (
        kind,
        "418",
        "boom",
        retry_safe,
    )
    assert str(error) == "boom"


def test_errors_survive_pickling_with_code_and_retry_safe():
    error = pickle.loads(  # noqa: S301 - our own bytes
        pickle.dumps(TransientSmsError("late", code="409", retry_safe=False))
    )
    assert type(error) is TransientSmsError
    assert (error.message, error.code, error.retry_safe) == ("late", "409", False)


def test_inbound_push_with_persian_digits_in_from():
    message = LocmemBackend().parse_inbound_push(
        {"from": "۰۹۱۲۱۲۳۴۵۶۷", "to": "30001152", "message": "۹", "messageid": "77"}
    )
    assert message.sender == "+989121234567"
    assert (message.receiver, message.text, message.message_id) == ("30001152", "۹", "77")
    assert message.provider == "locmem"


def test_inbound_push_reads_alternative_field_names():
    message = LocmemBackend().parse_inbound_push(
        {
            "Sender": "00989121234567",
            "Text": "9",
            "Receptor": "30001152",
            "messageId": "5",
            "date": "1735680000",
        }
    )
    assert (message.sender, message.text, message.receiver, message.message_id) == (
        "+989121234567",
        "9",
        "30001152",
        "5",
    )
    assert message.received_at.timestamp() == 1735680000


def test_inbound_push_from_a_query_dict():
    data = QueryDict("from=09121234567&message=%DB%B9&to=30001152")
    assert LocmemBackend().parse_inbound_push(data).text == "۹"


def test_inbound_push_from_a_short_code_keeps_its_digits():
    message = LocmemBackend().parse_inbound_push({"from": "982188888888", "message": "9"})
    assert message.sender == "982188888888"
    assert message.message_id == ""
    assert message.received_at is None


@pytest.mark.parametrize(
    "data",
    [
        {"message": "9", "to": "30001152"},
        {"from": "09121234567", "to": "30001152"},
        {"from": "", "message": "9"},
        {"from": "09121234567", "message": ""},
    ],
)
def test_inbound_push_without_sender_or_text_is_refused(data):
    with pytest.raises(ValueError):
        LocmemBackend().parse_inbound_push(data)


def test_report_push_with_a_canonical_status():
    assert [
        (r.message_id, r.status)
        for r in LocmemBackend().parse_report_push({"id": "m1", "status": "delivered"})
    ] == [("m1", "delivered")]


@pytest.mark.parametrize(
    "data", [{"status": "delivered"}, {"messageid": "1"}, {"messageid": "1,2", "status": "10"}]
)
def test_unusable_report_push_is_refused(data):
    with pytest.raises(ValueError):
        LocmemBackend().parse_report_push(data)
