"""Development back-end: every SMS is written to the console instead of being sent."""

import itertools
import sys
import threading
from typing import TextIO

from sms.backends.base import BaseSmsBackend, DeliveryReport, InboundMessage, SendResult
from sms.backends.text import is_gsm7, segment_count


class ConsoleBackend(BaseSmsBackend):
    name = "console"
    supports_idempotency = True

    def __init__(self, stream: TextIO | None = None) -> None:
        self._stream = stream
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._sent: dict[int, SendResult] = {}

    def send(self, *, to: str, text: str, idempotency_key: int) -> SendResult:
        e164 = self.check_message(to, text)
        with self._lock:
            if idempotency_key in self._sent:
                return self._sent[idempotency_key]
            result = SendResult(
                provider=self.name, message_id=f"console-{next(self._ids)}", status="sent"
            )
            self._sent[idempotency_key] = result
            encoding = "GSM-7" if is_gsm7(text) else "UCS-2"
            rule = "-" * 60
            stream = self._stream or sys.stdout
            stream.write(
                f"{rule}\nSMS to {e164} ({segment_count(text)} part(s), {encoding}), "
                f"id {result.message_id}, key {idempotency_key}\n{text}\n{rule}\n"
            )
            stream.flush()
        return result

    def fetch_reports(self, message_ids: list[str]) -> list[DeliveryReport]:
        with self._lock:
            known = {result.message_id for result in self._sent.values()}
        return [
            DeliveryReport(
                message_id=i, status="delivered" if i in known else "unknown", provider_status=""
            )
            for i in message_ids
        ]

    def fetch_inbound(self) -> list[InboundMessage]:
        return []
