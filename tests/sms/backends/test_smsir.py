"""The SMS.ir back-end against the fake SMS.ir server, over real HTTP on 127.0.0.1."""

import pytest

from sms.backends import (
    AccountSmsError,
    AmbiguousSmsError,
    PermanentSmsError,
    TransientSmsError,
    get_backend,
)
from tests.fakes import closed_port
from tests.fakes.smsir import FakeSmsir


API_KEY = "smsir-test-key-1f2e3d"
TO = "+989121234567"


@pytest.fixture
def fake():
    with FakeSmsir(api_key=API_KEY) as fake:
        yield fake


@pytest.fixture
def smsir_settings(settings, fake):
    settings.SMS_BACKEND = "smsir"
    settings.SMSIR_BASE_URL = fake.base_url
    settings.SMSIR_API_KEY = API_KEY
    settings.SMS_SENDER_LINE = "30001152"
    settings.SMS_CONNECT_TIMEOUT = 1
    settings.SMS_READ_TIMEOUT = 2
    return settings


@pytest.fixture
def backend(smsir_settings):
    return get_backend()


def fail_always(fake, *faults, **config):
    fake.configure(fail_rate=1.0, fail_with=list(faults), **config)


# --- sending ---------------------------------------------------------------------------


def test_send_returns_the_smsir_message_id(backend, fake):
    result = backend.send(to=TO, text="ثبت نام شما انجام شد", idempotency_key=42)
    assert result.provider == "smsir"
    assert result.message_id == str(fake.messages[0]["id"])
    assert result.status == "queued"
    assert result.raw["packId"]


def test_send_posts_the_documented_json(backend, fake):
    backend.send(to=TO, text="ثبت نام شما انجام شد", idempotency_key=42)
    (request,) = fake.requests
    assert (request.method, request.path) == ("POST", "/v1/send/bulk")
    assert request.header("X-API-KEY") == API_KEY
    assert request.header("Content-Type") == "application/json"
    assert request.header("Accept") == "application/json"
    assert request.json() == {
        "lineNumber": 30001152,
        "messageText": "ثبت نام شما انجام شد",
        "mobiles": ["09121234567"],
        "sendDateTime": None,
    }
    assert type(request.json()["lineNumber"]) is int


def test_smsir_does_not_deduplicate(backend, fake):
    assert not backend.supports_idempotency
    backend.send(to=TO, text="سلام", idempotency_key=42)
    backend.send(to=TO, text="سلام", idempotency_key=42)
    assert len(fake.messages) == 2


def test_text_over_900_characters_is_permanent_without_a_request(backend, fake):
    with pytest.raises(PermanentSmsError):
        backend.send(to=TO, text="a" * 901, idempotency_key=1)
    assert fake.requests == []


def test_a_non_numeric_line_is_an_account_error_without_a_request(smsir_settings, fake):
    smsir_settings.SMS_SENDER_LINE = "+98-30001152"
    with pytest.raises(AccountSmsError):
        get_backend().send(to=TO, text="سلام", idempotency_key=1)
    assert fake.requests == []


# --- errors ----------------------------------------------------------------------------


def test_insufficient_credit_is_an_account_error(backend, fake):
    fake.configure(credit=0)
    with pytest.raises(AccountSmsError) as caught:
        backend.send(to=TO, text="سلام", idempotency_key=1)
    assert caught.value.code == "102"


def test_a_wrong_api_key_is_an_account_error(smsir_settings, fake):
    smsir_settings.SMSIR_API_KEY = "wrong"
    with pytest.raises(AccountSmsError) as caught:
        get_backend().send(to=TO, text="سلام", idempotency_key=1)
    assert caught.value.code == "10"


@pytest.mark.parametrize(
    ("fault", "code"),
    [("401", "10"), ("10", "10"), ("11", "11"), ("13", "13"), ("101", "101"), ("102", "102")],
)
def test_account_problems_are_account_errors(backend, fake, fault, code):
    fail_always(fake, fault)
    with pytest.raises(AccountSmsError) as caught:
        backend.send(to=TO, text="سلام", idempotency_key=1)
    assert caught.value.code == code


@pytest.mark.parametrize("fault", ["103", "104", "109"])
def test_message_problems_are_permanent(backend, fake, fault):
    fail_always(fake, fault)
    with pytest.raises(PermanentSmsError) as caught:
        backend.send(to=TO, text="سلام", idempotency_key=1)
    assert caught.value.code == fault


@pytest.mark.parametrize("fault", ["429", "20"])
def test_throttling_is_transient_and_safe_to_retry(backend, fake, fault):
    fail_always(fake, fault)
    with pytest.raises(TransientSmsError) as caught:
        backend.send(to=TO, text="سلام", idempotency_key=1)
    assert caught.value.code == "20"
    assert caught.value.retry_safe


def test_a_refused_number_is_permanent(backend, fake):
    fake.configure(invalid_receptors=["09121234567"])
    with pytest.raises(PermanentSmsError, match="null"):
        backend.send(to=TO, text="سلام", idempotency_key=1)


def test_a_blacklisted_number_is_permanent(backend, fake):
    fake.configure(blacklist=["09121234567"])
    with pytest.raises(PermanentSmsError, match="blacklist"):
        backend.send(to=TO, text="سلام", idempotency_key=1)


@pytest.mark.parametrize("fault", ["500", "503", "0"])
def test_a_server_error_on_send_is_ambiguous(backend, fake, fault):
    fail_always(fake, fault)
    with pytest.raises(AmbiguousSmsError) as caught:
        backend.send(to=TO, text="سلام", idempotency_key=1)
    assert not caught.value.retry_safe


def test_read_timeout_on_send_is_ambiguous(smsir_settings, fake):
    smsir_settings.SMS_READ_TIMEOUT = 0.2
    fail_always(fake, "timeout", timeout_after_record=True, timeout_ms=2000)
    with pytest.raises(AmbiguousSmsError) as caught:
        get_backend().send(to=TO, text="سلام", idempotency_key=1)
    assert not caught.value.retry_safe
    assert len(fake.messages) == 1  # which is why a blind resend would send it twice


def test_connection_lost_after_sending_is_ambiguous(backend, fake):
    fail_always(fake, "reset")
    with pytest.raises(AmbiguousSmsError):
        backend.send(to=TO, text="سلام", idempotency_key=1)


def test_connection_refused_is_transient(smsir_settings):
    smsir_settings.SMSIR_BASE_URL = f"http://127.0.0.1:{closed_port()}"
    with pytest.raises(TransientSmsError) as caught:
        get_backend().send(to=TO, text="سلام", idempotency_key=1)
    assert caught.value.retry_safe


def test_the_api_key_never_reaches_errors(smsir_settings, fake):
    fail_always(fake, "reset")
    with pytest.raises(AmbiguousSmsError) as caught:
        get_backend().send(to=TO, text="سلام", idempotency_key=1)
    assert API_KEY not in repr(caught.value)


# --- delivery reports ------------------------------------------------------------------


def test_reports_follow_the_message_to_delivery(backend, fake):
    message_id = backend.send(to=TO, text="سلام", idempotency_key=1).message_id
    seen = [backend.fetch_reports([message_id])[0] for _ in range(3)]
    assert [(r.status, r.provider_status) for r in seen] == [
        ("sent", ""),
        ("sent", "5"),
        ("delivered", "1"),
    ]
    assert fake.requests[-1].path == f"/v1/send/{message_id}"
    assert fake.requests[-1].header("X-API-KEY") == API_KEY


@pytest.mark.parametrize(
    ("state", "status"),
    [
        (1, "delivered"),
        (2, "failed"),
        (3, "sent"),
        (4, "failed"),
        (5, "sent"),
        (6, "failed"),
        (7, "failed"),
        (None, "sent"),
    ],
)
def test_delivery_states_map_to_ours(backend, fake, state, status):
    message_id = backend.send(to=TO, text="سلام", idempotency_key=1).message_id
    fake.set_status(int(message_id), state)
    assert backend.fetch_reports([message_id])[0].status == status


def test_an_unknown_message_id_reports_unknown(backend):
    assert [r.status for r in backend.fetch_reports(["999", "not-a-number"])] == [
        "unknown",
        "unknown",
    ]


def test_a_server_error_while_reading_reports_is_transient(backend, fake):
    message_id = backend.send(to=TO, text="سلام", idempotency_key=1).message_id
    fail_always(fake, "500")
    with pytest.raises(TransientSmsError):
        backend.fetch_reports([message_id])


# --- inbound ---------------------------------------------------------------------------


def test_fetch_inbound_turns_the_numeric_mobile_into_e164(backend, fake):
    fake.add_inbound(sender="09121234567", text="۹")
    (message,) = backend.fetch_inbound()
    assert (message.provider, message.sender, message.receiver, message.text) == (
        "smsir",
        "+989121234567",
        "30001152",
        "۹",
    )
    assert message.message_id == str(fake.inbound[0]["id"])
    assert message.received_at is not None


def test_fetch_inbound_asks_receive_latest(backend, fake):
    backend.fetch_inbound()
    (request,) = fake.requests
    assert (request.method, request.path) == ("GET", "/v1/receive/latest?count=100")
    assert request.header("X-API-KEY") == API_KEY


def test_the_fake_sends_mobile_as_a_json_number(backend, fake):
    fake.add_inbound(sender="09121234567", text="9")
    response = backend.session().get(
        f"{fake.base_url}/v1/receive/latest", params={"count": 1}, headers={"X-API-KEY": API_KEY}
    )
    assert response.json()["data"][0]["mobile"] == 9121234567
