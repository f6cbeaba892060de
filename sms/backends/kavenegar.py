"""Kavenegar (kavenegar.com) REST client: `sms/send`, `sms/status`, `sms/receive`.

The HTTP status carries Kavenegar's code (a 418 arrives as HTTP 418 with a JSON body, a 5xx
may have no JSON at all). `localid` = our idempotency key makes Kavenegar return the first
send instead of sending again, so every failure is safe to retry with the same key.
The API key sits in the URL path: it must never reach an error message or a log line.
"""

import logging
from typing import Any

from django.conf import settings

import requests

from persian import phones
from sms.backends.base import (
    AccountSmsError,
    DeliveryReport,
    HttpSmsBackend,
    InboundMessage,
    PermanentSmsError,
    SendResult,
    SmsError,
    TransientSmsError,
    timeout_setting,
    unix_time,
)


logger = logging.getLogger(__name__)

STATUS_BATCH = 500  # ids per sms/status call
RECEIVE_PAGE = 100  # messages per sms/receive call
MAX_RECEIVE_PAGES = 50  # a bound in case read messages ever came back as unread

# Table 2 of rest.html, "وضعیت پیامک ها".
STATUSES = {
    1: "queued",
    2: "queued",
    4: "sent",
    5: "sent",
    6: "failed",
    10: "delivered",
    11: "failed",
    13: "failed",
    14: "failed",
    100: "unknown",
}

# Table 1 of rest.html, grouped by what the caller must do (sms-providers.md §1.4).
ACCOUNT_CODES = frozenset({401, 403, 404, 405, 407, 416, 418, 426, 427, 501})
TRANSIENT_CODES = frozenset({402, 409, 429, 451})


def error_for(code: int, message: str) -> SmsError:
    """The error a Kavenegar return code means; every retry is safe thanks to `localid`."""
    text = f"Kavenegar {code}: {message}"
    if code in ACCOUNT_CODES:
        return AccountSmsError(text, code=str(code))
    if code in TRANSIENT_CODES or code >= 500:
        return TransientSmsError(text, code=str(code))
    return PermanentSmsError(text, code=str(code))


class KavenegarBackend(HttpSmsBackend):
    name = "kavenegar"
    supports_idempotency = True

    def __init__(
        self,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        sender_line: str | None = None,
        timeout: tuple[float, float] | None = None,
    ) -> None:
        super().__init__(
            base_url=base_url or settings.KAVENEGAR_BASE_URL,
            api_key=settings.KAVENEGAR_API_KEY if api_key is None else api_key,
            sender_line=sender_line or settings.SMS_SENDER_LINE,
            timeout=timeout or timeout_setting(),
        )

    def send(self, *, to: str, text: str, idempotency_key: int) -> SendResult:
        e164 = self.check_message(to, text)
        entries = self._call(
            "sms/send",
            {
                "receptor": phones.local(e164),
                "message": text,
                "sender": self.sender_line,
                "localid": str(idempotency_key),
            },
        )
        try:
            entry = entries[0]
            message_id, status = str(int(entry["messageid"])), int(entry["status"])
        except (LookupError, TypeError, ValueError):
            raise TransientSmsError(
                "Kavenegar accepted the send but returned no message id"
            ) from None
        state = self.map_status(str(status))
        if state == "failed":
            # Only an earlier send with this localid can already be final: it failed for good.
            raise PermanentSmsError(
                f"Kavenegar message {message_id} for this key ended with status {status}",
                code=str(status),
            )
        return SendResult(
            provider=self.name,
            message_id=message_id,
            status=state if state in ("queued", "sent", "delivered") else "sent",
            raw=dict(entry),
        )

    def fetch_reports(self, message_ids: list[str]) -> list[DeliveryReport]:
        reports = []
        for start in range(0, len(message_ids), STATUS_BATCH):
            batch = message_ids[start : start + STATUS_BATCH]
            for entry in self._call("sms/status", {"messageid": ",".join(batch)}) or []:
                code = str(entry.get("status", ""))
                reports.append(
                    DeliveryReport(
                        message_id=str(entry.get("messageid", "")),
                        status=self.map_status(code),
                        provider_status=code,
                    )
                )
        return reports

    def fetch_inbound(self) -> list[InboundMessage]:
        """Unread messages to our line; Kavenegar marks what it returns as read."""
        messages: list[InboundMessage] = []
        for _ in range(MAX_RECEIVE_PAGES):
            try:
                entries = (
                    self._call("sms/receive", {"linenumber": self.sender_line, "isread": "0"}) or []
                )
            except SmsError:
                if not messages:
                    raise
                # Earlier pages are already marked read at Kavenegar: hand them over now.
                logger.warning("Kavenegar sms/receive failed after %d messages", len(messages))
                break
            messages.extend(
                InboundMessage(
                    provider=self.name,
                    message_id=str(entry.get("messageid", "")),
                    sender=phones.normalize_sender(str(entry.get("sender", ""))),
                    receiver=str(entry.get("receptor", self.sender_line)),
                    text=str(entry.get("message", "")),
                    received_at=unix_time(entry.get("date")),
                )
                for entry in entries
            )
            if len(entries) < RECEIVE_PAGE:
                break
        return messages

    def map_status(self, provider_status: str) -> str:
        try:
            return STATUSES.get(int(provider_status), "unknown")
        except ValueError:
            return "unknown"

    def _call(self, method: str, fields: dict[str, str]) -> Any:
        """POST `fields` to `method` and return `entries`, or raise the matching SmsError."""
        if not self.api_key:
            raise AccountSmsError("KAVENEGAR_API_KEY is not set")
        url = f"{self.base_url}/v1/{self.api_key}/{method}.json"
        try:
            response = self.session().post(url, data=fields, timeout=self.timeout)
        except requests.ConnectionError as exc:  # ConnectTimeout included
            raise TransientSmsError(f"Kavenegar unreachable: {self.redact(str(exc))}") from None
        except requests.Timeout:
            # The send may have gone out; resending with the same localid cannot duplicate it.
            raise TransientSmsError("Kavenegar did not answer in time", retry_safe=True) from None
        except requests.RequestException as exc:
            raise TransientSmsError(f"Kavenegar call failed: {self.redact(str(exc))}") from None
        try:
            body = response.json()
        except ValueError:
            body = None
        result = body.get("return") if isinstance(body, dict) else None
        try:
            code = int(result["status"])
        except (TypeError, KeyError, ValueError):
            code = response.status_code
        if response.status_code != 200 and code == 200:
            code = response.status_code
        if code != 200:
            message = result.get("message") if isinstance(result, dict) else None
            raise error_for(code, str(message or response.reason or "error"))
        if body is None:
            raise TransientSmsError("Kavenegar answered 200 without a JSON body")
        return body.get("entries")
