import threading

import pytest

from sms.backends import InboundMessage, PermanentSmsError, TransientSmsError, locmem
from sms.backends.locmem import LocmemBackend


@pytest.fixture(autouse=True)
def empty_locmem():
    locmem.reset()
    yield
    locmem.reset()


def test_send_puts_the_message_in_the_outbox():
    result = LocmemBackend().send(to="+989121234567", text="سلام", idempotency_key=1)
    assert result.provider == "locmem"
    assert result.status == "sent"
    assert [(m.to, m.text, m.idempotency_key, m.message_id) for m in locmem.outbox] == [
        ("+989121234567", "سلام", 1, result.message_id)
    ]


def test_send_with_a_known_key_returns_the_first_result_and_sends_nothing():
    backend = LocmemBackend()
    first = backend.send(to="+989121234567", text="سلام", idempotency_key=1)
    again = backend.send(to="+989121234567", text="سلام", idempotency_key=1)
    assert again == first
    assert len(locmem.outbox) == 1


def test_different_keys_send_twice():
    backend = LocmemBackend()
    backend.send(to="+989121234567", text="سلام", idempotency_key=1)
    backend.send(to="+989121234567", text="سلام", idempotency_key=2)
    assert len(locmem.outbox) == 2


def test_concurrent_sends_with_one_key_send_once():
    backend = LocmemBackend()
    results = []
    threads = [
        threading.Thread(
            target=lambda: results.append(
                backend.send(to="09121234567", text="x", idempotency_key=9)
            )
        )
        for _ in range(20)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(locmem.outbox) == 1
    assert len({r.message_id for r in results}) == 1


def test_send_normalises_the_receiver_to_e164():
    LocmemBackend().send(to="۰۹۱۲۱۲۳۴۵۶۷", text="x", idempotency_key=1)
    assert locmem.outbox[0].to == "+989121234567"


def test_text_over_900_characters_is_permanent_and_not_sent():
    with pytest.raises(PermanentSmsError):
        LocmemBackend().send(to="+989121234567", text="س" * 901, idempotency_key=1)
    assert locmem.outbox == []


def test_a_foreign_number_is_permanent_and_not_sent():
    with pytest.raises(PermanentSmsError):
        LocmemBackend().send(to="+14155550100", text="x", idempotency_key=1)
    assert locmem.outbox == []


def test_fail_next_raises_once_then_sends():
    backend = LocmemBackend()
    locmem.fail_next(TransientSmsError("busy", code="409"))
    with pytest.raises(TransientSmsError):
        backend.send(to="+989121234567", text="x", idempotency_key=1)
    assert backend.send(to="+989121234567", text="x", idempotency_key=1).status == "sent"
    assert len(locmem.outbox) == 1


def test_fetch_inbound_drains_the_inbox():
    message = InboundMessage(
        provider="locmem", message_id="1", sender="+989121234567", receiver="30001152", text="9"
    )
    locmem.inbox.append(message)
    backend = LocmemBackend()
    assert backend.fetch_inbound() == [message]
    assert backend.fetch_inbound() == []


def test_reports_say_sent_unless_told_otherwise():
    backend = LocmemBackend()
    first = backend.send(to="+989121234567", text="x", idempotency_key=1).message_id
    second = backend.send(to="+989121234567", text="x", idempotency_key=2).message_id
    locmem.set_status(second, "delivered")
    assert [(r.message_id, r.status) for r in backend.fetch_reports([first, second, "nope"])] == [
        (first, "sent"),
        (second, "delivered"),
        ("nope", "unknown"),
    ]


def test_reset_forgets_keys():
    backend = LocmemBackend()
    backend.send(to="+989121234567", text="x", idempotency_key=1)
    locmem.reset()
    backend.send(to="+989121234567", text="x", idempotency_key=1)
    assert len(locmem.outbox) == 1
