"""The Kavenegar back-end against the fake Kavenegar server, over real HTTP on 127.0.0.1."""

import logging
import traceback

import pytest

from sms.backends import (
    AccountSmsError,
    PermanentSmsError,
    TransientSmsError,
    get_backend,
)
from tests.fakes import closed_port
from tests.fakes.kavenegar import FakeKavenegar


API_KEY = "6B2F-kavenegar-test-key"
TO = "+989121234567"


@pytest.fixture
def fake():
    with FakeKavenegar(api_key=API_KEY) as fake:
        yield fake


@pytest.fixture
def kavenegar_settings(settings, fake):
    settings.SMS_BACKEND = "kavenegar"
    settings.KAVENEGAR_BASE_URL = fake.base_url
    settings.KAVENEGAR_API_KEY = API_KEY
    settings.SMS_SENDER_LINE = "30001152"
    settings.SMS_CONNECT_TIMEOUT = 1
    settings.SMS_READ_TIMEOUT = 2
    return settings


@pytest.fixture
def backend(kavenegar_settings):
    return get_backend()


def fail_always(fake, *faults, **config):
    fake.configure(fail_rate=1.0, fail_with=list(faults), **config)


# --- sending ---------------------------------------------------------------------------


def test_send_returns_the_kavenegar_message_id(backend, fake):
    result = backend.send(to=TO, text="ثبت نام شما انجام شد", idempotency_key=42)
    assert result.provider == "kavenegar"
    assert result.message_id == str(fake.messages[0]["id"])
    assert result.status == "queued"


def test_send_posts_the_documented_form(backend, fake):
    backend.send(to=TO, text="ثبت نام شما انجام شد", idempotency_key=42)
    (request,) = fake.requests
    assert request.method == "POST"
    assert request.path == f"/v1/{API_KEY}/sms/send.json"
    assert request.header("Content-Type") == "application/x-www-form-urlencoded"
    assert request.header("Accept") == "application/json"
    assert request.form() == {
        "receptor": "09121234567",
        "message": "ثبت نام شما انجام شد",
        "sender": "30001152",
        "localid": "42",
    }
    assert request.body.isascii()  # UTF-8, percent-encoded


def test_the_fake_records_what_was_sent(backend, fake):
    backend.send(to=TO, text="سلام", idempotency_key=42)
    (message,) = fake.messages
    assert (message["receptor"], message["text"], message["localid"]) == (
        "09121234567",
        "سلام",
        "42",
    )


def test_same_idempotency_key_sends_one_message(backend, fake):
    first = backend.send(to=TO, text="سلام", idempotency_key=42)
    again = backend.send(to=TO, text="سلام", idempotency_key=42)
    assert again.message_id == first.message_id
    assert len(fake.messages) == 1
    assert len(fake.requests) == 2


def test_text_over_900_characters_is_permanent_without_a_request(backend, fake):
    with pytest.raises(PermanentSmsError):
        backend.send(to=TO, text="س" * 901, idempotency_key=1)
    assert fake.requests == []


def test_900_characters_are_sent(backend, fake):
    backend.send(to=TO, text="س" * 900, idempotency_key=1)
    assert fake.messages[0]["parts"] == 14


def test_a_foreign_number_is_permanent_without_a_request(backend, fake):
    with pytest.raises(PermanentSmsError):
        backend.send(to="+14155550100", text="x", idempotency_key=1)
    assert fake.requests == []


# --- errors ----------------------------------------------------------------------------


def test_insufficient_credit_is_an_account_error(backend, fake):
    fake.configure(credit=0)
    with pytest.raises(AccountSmsError) as caught:
        backend.send(to=TO, text="سلام", idempotency_key=1)
    assert caught.value.code == "418"
    assert fake.messages == []


def test_credit_running_out_stops_the_next_send(backend, fake):
    fake.configure(credit=1, price_per_part=1)
    backend.send(to=TO, text="سلام", idempotency_key=1)
    with pytest.raises(AccountSmsError):
        backend.send(to=TO, text="سلام", idempotency_key=2)


def test_a_wrong_api_key_is_an_account_error(kavenegar_settings, fake):
    kavenegar_settings.KAVENEGAR_API_KEY = "not-the-key"
    with pytest.raises(AccountSmsError) as caught:
        get_backend().send(to=TO, text="سلام", idempotency_key=1)
    assert caught.value.code == "403"


def test_a_disabled_account_is_an_account_error(backend, fake):
    fake.configure(disabled=True)
    with pytest.raises(AccountSmsError) as caught:
        backend.send(to=TO, text="سلام", idempotency_key=1)
    assert caught.value.code == "401"


def test_a_missing_api_key_is_an_account_error_without_a_request(kavenegar_settings, fake):
    kavenegar_settings.KAVENEGAR_API_KEY = ""
    with pytest.raises(AccountSmsError):
        get_backend().send(to=TO, text="سلام", idempotency_key=1)
    assert fake.requests == []


def test_a_receptor_kavenegar_refuses_is_permanent(backend, fake):
    fake.configure(invalid_receptors=["09121234567"])
    with pytest.raises(PermanentSmsError) as caught:
        backend.send(to=TO, text="سلام", idempotency_key=1)
    assert caught.value.code == "411"


@pytest.mark.parametrize("code", ["409", "429", "451", "500", "502", "503"])
def test_busy_or_throttled_kavenegar_is_transient_and_safe_to_retry(backend, fake, code):
    fail_always(fake, code)
    with pytest.raises(TransientSmsError) as caught:
        backend.send(to=TO, text="سلام", idempotency_key=1)
    assert caught.value.code == code
    assert caught.value.retry_safe


@pytest.mark.parametrize(
    ("code", "error_class"),
    [("411", PermanentSmsError), ("413", PermanentSmsError), ("418", AccountSmsError)],
)
def test_error_codes_in_the_http_status_are_classified(backend, fake, code, error_class):
    fail_always(fake, code)
    with pytest.raises(error_class) as caught:
        backend.send(to=TO, text="سلام", idempotency_key=1)
    assert caught.value.code == code


def test_connection_refused_is_transient(kavenegar_settings):
    kavenegar_settings.KAVENEGAR_BASE_URL = f"http://127.0.0.1:{closed_port()}"
    with pytest.raises(TransientSmsError) as caught:
        get_backend().send(to=TO, text="سلام", idempotency_key=1)
    assert caught.value.retry_safe


@pytest.fixture
def no_proxy_variables(monkeypatch):
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    return monkeypatch


def test_a_proxy_set_in_the_environment_is_used(kavenegar_settings, fake, no_proxy_variables):
    no_proxy_variables.setenv("HTTP_PROXY", f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(TransientSmsError) as caught:
        get_backend().send(to=TO, text="سلام", idempotency_key=1)
    assert "proxy" in caught.value.message.lower()
    assert fake.requests == []


def test_no_proxy_in_the_environment_bypasses_the_proxy(
    kavenegar_settings, fake, no_proxy_variables
):
    no_proxy_variables.setenv("HTTP_PROXY", f"http://127.0.0.1:{closed_port()}")
    no_proxy_variables.setenv("NO_PROXY", "127.0.0.1")
    get_backend().send(to=TO, text="سلام", idempotency_key=1)
    assert len(fake.messages) == 1


def test_connection_reset_is_transient(backend, fake):
    fail_always(fake, "reset")
    with pytest.raises(TransientSmsError):
        backend.send(to=TO, text="سلام", idempotency_key=1)
    assert fake.messages == []


def test_read_timeout_is_transient_and_safe_to_retry(kavenegar_settings, fake):
    kavenegar_settings.SMS_READ_TIMEOUT = 0.2
    fail_always(fake, "timeout", timeout_after_record=True, timeout_ms=2000)
    with pytest.raises(TransientSmsError) as caught:
        get_backend().send(to=TO, text="سلام", idempotency_key=7)
    assert caught.value.retry_safe
    assert len(fake.messages) == 1  # it did go out


def test_retry_after_a_read_timeout_sends_nothing_new(kavenegar_settings, fake):
    kavenegar_settings.SMS_READ_TIMEOUT = 0.2
    fail_always(fake, "timeout", timeout_after_record=True, timeout_ms=2000)
    with pytest.raises(TransientSmsError):
        get_backend().send(to=TO, text="سلام", idempotency_key=7)
    fake.configure(fail_rate=0.0)
    result = get_backend().send(to=TO, text="سلام", idempotency_key=7)
    assert [m["id"] for m in fake.messages] == [int(result.message_id)]


def test_resending_a_key_whose_message_failed_is_permanent(backend, fake):
    first = backend.send(to=TO, text="سلام", idempotency_key=7)
    fake.set_status(int(first.message_id), 14)
    with pytest.raises(PermanentSmsError) as caught:
        backend.send(to=TO, text="سلام", idempotency_key=7)
    assert caught.value.code == "14"


def test_the_api_key_never_reaches_errors_or_logs(kavenegar_settings, caplog):
    kavenegar_settings.KAVENEGAR_BASE_URL = f"http://127.0.0.1:{closed_port()}"
    caplog.set_level(logging.DEBUG)
    with pytest.raises(TransientSmsError) as caught:
        get_backend().send(to=TO, text="سلام", idempotency_key=1)
    shown = "".join(traceback.format_exception(caught.value)) + repr(caught.value) + caplog.text
    assert "/v1/***/sms/send.json" in str(caught.value)  # the URL is there, masked
    assert API_KEY not in shown


def test_the_api_key_never_reaches_logs_of_a_successful_send(backend, caplog):
    caplog.set_level(logging.DEBUG)
    backend.send(to=TO, text="سلام", idempotency_key=1)
    assert API_KEY not in caplog.text


# --- delivery reports ------------------------------------------------------------------


def test_reports_follow_the_message_to_delivery(backend):
    message_id = backend.send(to=TO, text="سلام", idempotency_key=1).message_id
    seen = [backend.fetch_reports([message_id])[0].status for _ in range(3)]
    assert seen == ["queued", "sent", "delivered"]


@pytest.mark.parametrize(
    ("code", "status"),
    [
        (1, "queued"),
        (2, "queued"),
        (4, "sent"),
        (5, "sent"),
        (10, "delivered"),
        (6, "failed"),
        (11, "failed"),
        (13, "failed"),
        (14, "failed"),
    ],
)
def test_report_statuses_map_to_ours(backend, fake, code, status):
    message_id = backend.send(to=TO, text="سلام", idempotency_key=1).message_id
    fake.set_status(int(message_id), code)
    (report,) = backend.fetch_reports([message_id])
    assert (report.message_id, report.status, report.provider_status) == (
        message_id,
        status,
        str(code),
    )


def test_an_unknown_message_id_reports_unknown(backend):
    (report,) = backend.fetch_reports(["999"])
    assert (report.status, report.provider_status) == ("unknown", "100")


def test_reports_are_asked_500_ids_at_a_time(backend, fake):
    ids = [str(n) for n in range(1, 502)]
    reports = backend.fetch_reports(ids)
    assert [r.message_id for r in reports] == ids
    batches = [len(r.form()["messageid"].split(",")) for r in fake.requests]
    assert batches == [500, 1]
    assert all(r.path == f"/v1/{API_KEY}/sms/status.json" for r in fake.requests)


def test_report_push_maps_kavenegar_codes(backend):
    reports = backend.parse_report_push({"messageid": "11,12", "status": "10,11"})
    assert [(r.message_id, r.status, r.provider_status) for r in reports] == [
        ("11", "delivered", "10"),
        ("12", "failed", "11"),
    ]


def test_report_push_without_a_status_is_refused(backend):
    with pytest.raises(ValueError):
        backend.parse_report_push({"messageid": "11"})


# --- inbound ---------------------------------------------------------------------------


def test_fetch_inbound_returns_unread_messages_with_e164_senders(backend, fake):
    fake.add_inbound(sender="09121234567", text="۹")
    (message,) = backend.fetch_inbound()
    assert (message.provider, message.sender, message.receiver, message.text) == (
        "kavenegar",
        "+989121234567",
        "30001152",
        "۹",
    )
    assert message.message_id == str(fake.inbound[0]["id"])
    assert message.received_at is not None


def test_fetch_inbound_asks_for_unread_messages_of_our_line(backend, fake):
    backend.fetch_inbound()
    (request,) = fake.requests
    assert request.path == f"/v1/{API_KEY}/sms/receive.json"
    assert request.form() == {"linenumber": "30001152", "isread": "0"}


def test_fetched_messages_are_marked_read(backend, fake):
    fake.add_inbound(sender="09121234567", text="9")
    backend.fetch_inbound()
    assert fake.inbound[0]["read"]
    assert backend.fetch_inbound() == []


def test_fetch_inbound_keeps_asking_while_pages_are_full(backend, fake):
    for n in range(150):
        fake.add_inbound(sender=f"0912{n:07d}", text="9")
    messages = backend.fetch_inbound()
    assert len(messages) == 150
    assert len({m.message_id for m in messages}) == 150
    assert len(fake.requests) == 2


def test_fetch_inbound_ignores_other_lines(backend, fake):
    fake.add_inbound(sender="09121234567", text="9", receptor="10004346")
    assert backend.fetch_inbound() == []


def test_a_pushed_inbound_message_parses(backend, fake, httpserver):
    httpserver.expect_request("/sms/inbound", method="POST").respond_with_data("ok")
    fake.add_inbound(sender="۰۹۱۲۱۲۳۴۵۶۷", text="۹", push_url=httpserver.url_for("/sms/inbound"))
    (pushed, _response) = httpserver.log[0]
    message = backend.parse_inbound_push(pushed.form)
    assert (message.sender, message.text, message.receiver) == ("+989121234567", "۹", "30001152")
    assert message.message_id == str(fake.inbound[0]["id"])


def test_a_delivered_push_is_not_pulled_again(backend, fake, httpserver):
    httpserver.expect_request("/sms/inbound").respond_with_data("ok")
    fake.add_inbound(sender="09121234567", text="9", push_url=httpserver.url_for("/sms/inbound"))
    assert backend.fetch_inbound() == []


def test_a_failed_push_stays_unread_for_the_pull(backend, fake, httpserver):
    httpserver.expect_request("/sms/inbound").respond_with_data("down", status=503)
    fake.add_inbound(sender="09121234567", text="9", push_url=httpserver.url_for("/sms/inbound"))
    assert [m.text for m in backend.fetch_inbound()] == ["9"]


def test_a_failing_later_page_still_returns_the_messages_already_marked_read(backend, fake):
    fake.seed = 10  # with fail_rate 0.5, seed 10 lets the first call pass and fails the second
    fake.reset()
    for n in range(100):
        fake.add_inbound(sender=f"0912{n:07d}", text="9")
    fake.configure(fail_rate=0.5, fail_with=["500"])
    assert len(backend.fetch_inbound()) == 100
    assert len(fake.requests) == 2


def test_a_failing_first_page_raises(backend, fake):
    fake.configure(fail_rate=1.0, fail_with=["500"])
    with pytest.raises(TransientSmsError):
        backend.fetch_inbound()
