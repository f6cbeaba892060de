"""Test back-end: sent messages collect in `outbox`, inbound ones are taken from `inbox`.

Like Kavenegar's `localid`, a second send with the same idempotency key returns the first
result and sends nothing, so a test can prove that a message never goes out twice. The state
is module-level (shared by every instance in the process) and guarded by a lock, so a Celery
worker running threads in-process sees the same outbox. Call `reset()` between tests.
"""

import itertools
import threading
from dataclasses import dataclass

from sms.backends.base import (
    BaseSmsBackend,
    DeliveryReport,
    InboundMessage,
    SendResult,
    SmsError,
)


@dataclass(frozen=True)
class LocmemMessage:
    to: str
    text: str
    idempotency_key: int
    message_id: str


outbox: list[LocmemMessage] = []
inbox: list[InboundMessage] = []

_lock = threading.RLock()
_results: dict[int, SendResult] = {}
_statuses: dict[str, str] = {}
_errors: list[SmsError] = []
_ids = itertools.count(1)


def reset() -> None:
    """Empty the outbox and inbox and forget keys, statuses and queued errors."""
    global _ids
    with _lock:
        outbox.clear()
        inbox.clear()
        _results.clear()
        _statuses.clear()
        _errors.clear()
        _ids = itertools.count(1)


def set_status(message_id: str, status: str) -> None:
    """What `fetch_reports` will say about `message_id` (default: "sent")."""
    with _lock:
        _statuses[message_id] = status


def fail_next(error: SmsError) -> None:
    """Make the next `send` raise `error` (queued errors are raised in order, once each)."""
    with _lock:
        _errors.append(error)


class LocmemBackend(BaseSmsBackend):
    name = "locmem"
    supports_idempotency = True

    def send(self, *, to: str, text: str, idempotency_key: int) -> SendResult:
        e164 = self.check_message(to, text)
        with _lock:
            if idempotency_key in _results:
                return _results[idempotency_key]
            if _errors:
                raise _errors.pop(0)
            message_id = f"locmem-{next(_ids)}"
            outbox.append(LocmemMessage(e164, text, idempotency_key, message_id))
            result = SendResult(provider=self.name, message_id=message_id, status="sent")
            _results[idempotency_key] = result
            return result

    def fetch_reports(self, message_ids: list[str]) -> list[DeliveryReport]:
        with _lock:
            known = {message.message_id for message in outbox}
            return [
                DeliveryReport(
                    message_id=i,
                    status=_statuses.get(i) or ("sent" if i in known else "unknown"),
                    provider_status="",
                )
                for i in message_ids
            ]

    def fetch_inbound(self) -> list[InboundMessage]:
        with _lock:
            messages = list(inbox)
            inbox.clear()
            return messages
