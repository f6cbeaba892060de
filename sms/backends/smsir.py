"""SMS.ir REST v1 client: `send/bulk`, `send/{id}` reports, `receive/latest`.

Every answer is the envelope `{status, message, data}` with status 1 for success. SMS.ir has
no idempotency key: once a send request may have reached it (read timeout, connection lost
after sending, 5xx, status 0), resending could deliver the SMS twice, so the error is
AmbiguousSmsError and the caller reconciles instead of retrying.
"""

from typing import Any

from django.conf import settings

import requests
from urllib3.exceptions import ConnectTimeoutError

from persian import phones
from sms.backends.base import (
    AccountSmsError,
    AmbiguousSmsError,
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


RECEIVE_COUNT = 100

# deliveryState of a message report (Laravel SDK fa.php); null = not reported yet.
DELIVERY_STATES = {
    "1": "delivered",
    "2": "failed",
    "3": "sent",
    "4": "failed",
    "5": "sent",
    "6": "failed",
    "7": "failed",
    "": "sent",
}

# Envelope status codes (sms-providers.md §2.3) that no message can get past.
ACCOUNT_CODES = frozenset({10, 11, 12, 13, 14, 15, 101, 102, 119, 123})
NO_SUCH_MESSAGE = 111


def error_for(http_status: int, code: int | None, message: str, *, sending: bool) -> SmsError:
    """The error an SMS.ir answer means. `sending`: the request was a send (not idempotent)."""
    provider_code = str(http_status if code is None else code)
    text = f"SMS.ir {f'HTTP {http_status}' if code is None else code}: {message}"
    if code in ACCOUNT_CODES or (code is None and http_status in (401, 403, 404, 405)):
        return AccountSmsError(text, code=provider_code)
    if http_status >= 500 or code == 0 or (code is None and http_status == 200):
        if sending:
            return AmbiguousSmsError(text, code=provider_code)
        return TransientSmsError(text, code=provider_code)
    if code == 20 or http_status == 429:
        return TransientSmsError(text, code=provider_code)
    return PermanentSmsError(text, code=provider_code)


def _failed_to_connect(exc: requests.ConnectionError) -> bool:
    """Whether the request never left: refused, unresolvable or timed-out connection."""
    if isinstance(exc, requests.ConnectTimeout):
        return True
    reason = getattr(exc.args[0], "reason", None) if exc.args else None
    return isinstance(reason, ConnectTimeoutError)  # NewConnectionError is a subclass


class SmsirBackend(HttpSmsBackend):
    name = "smsir"
    supports_idempotency = False

    def __init__(
        self,
        *,
        base_url: str | None = None,
        api_key: str | None = None,
        sender_line: str | None = None,
        timeout: tuple[float, float] | None = None,
    ) -> None:
        super().__init__(
            base_url=base_url or settings.SMSIR_BASE_URL,
            api_key=settings.SMSIR_API_KEY if api_key is None else api_key,
            sender_line=sender_line or settings.SMS_SENDER_LINE,
            timeout=timeout or timeout_setting(),
        )

    def send(self, *, to: str, text: str, idempotency_key: int) -> SendResult:
        e164 = self.check_message(to, text)
        if not self.sender_line.isdigit():
            raise AccountSmsError("SMS_SENDER_LINE must be digits for SMS.ir")
        data = self._call(
            "POST",
            "/v1/send/bulk",
            json={
                "lineNumber": int(self.sender_line),  # SMS.ir fails on a string lineNumber
                "messageText": text,
                "mobiles": [phones.local(e164)],
                "sendDateTime": None,
            },
            sending=True,
        )
        try:
            message_id = data["messageIds"][0]
        except (LookupError, TypeError):
            raise AmbiguousSmsError("SMS.ir accepted the send but returned no message id") from None
        if message_id is None:
            raise PermanentSmsError("SMS.ir refused the number or the text (message id null)")
        if message_id == 0:
            raise PermanentSmsError(
                "SMS.ir refused the number: it is on the blacklist (message id 0)"
            )
        return SendResult(
            provider=self.name, message_id=str(message_id), status="queued", raw=dict(data)
        )

    def fetch_reports(self, message_ids: list[str]) -> list[DeliveryReport]:
        return [self._report(message_id) for message_id in message_ids]

    def fetch_inbound(self) -> list[InboundMessage]:
        """The latest messages received (SMS.ir's own id is `message_id`: de-duplicate on it)."""
        data = self._call("GET", "/v1/receive/latest", params={"count": RECEIVE_COUNT}) or []
        return [
            InboundMessage(
                provider=self.name,
                message_id=str(item.get("receiveReturnId", "")),
                # `mobile` is a JSON number: 9121234567 has lost its leading 0.
                sender=phones.normalize_sender(str(item.get("mobile", ""))),
                receiver=str(item.get("number", "")),
                text=str(item.get("messageText", "")),
                received_at=unix_time(item.get("receivedDateTime")),
            )
            for item in data
        ]

    def map_status(self, provider_status: str) -> str:
        return DELIVERY_STATES.get(provider_status.strip(), "unknown")

    def _report(self, message_id: str) -> DeliveryReport:
        unknown = DeliveryReport(message_id=message_id, status="unknown", provider_status="")
        if not message_id.isdigit():
            return unknown
        try:
            data = self._call("GET", f"/v1/send/{message_id}")
        except PermanentSmsError:  # 111: no message with this id, or an id it cannot read
            return unknown
        if not isinstance(data, dict):
            return unknown
        state = data.get("deliveryState")
        provider_status = "" if state is None else str(state)
        return DeliveryReport(
            message_id=message_id,
            status=self.map_status(provider_status),
            provider_status=provider_status,
        )

    def _call(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        sending: bool = False,
    ) -> Any:
        """Make the request and return the envelope's `data`, or raise the matching SmsError."""
        if not self.api_key:
            raise AccountSmsError("SMSIR_API_KEY is not set")
        try:
            response = self.session().request(
                method,
                self.base_url + path,
                json=json,
                params=params,
                headers={"X-API-KEY": self.api_key},
                timeout=self.timeout,
            )
        except requests.ConnectionError as exc:
            if sending and not _failed_to_connect(exc):
                raise AmbiguousSmsError(
                    f"SMS.ir connection lost after sending: {self.redact(str(exc))}"
                ) from None
            raise TransientSmsError(f"SMS.ir unreachable: {self.redact(str(exc))}") from None
        except requests.RequestException as exc:  # ReadTimeout, broken bodies
            if sending:
                raise AmbiguousSmsError(
                    f"SMS.ir did not answer the send: {self.redact(str(exc))}"
                ) from None
            raise TransientSmsError(f"SMS.ir did not answer: {self.redact(str(exc))}") from None
        try:
            body = response.json()
        except ValueError:
            body = None
        envelope = body if isinstance(body, dict) else {}
        try:
            code = int(envelope["status"])
        except (KeyError, TypeError, ValueError):
            code = None
        if response.status_code == 200 and code == 1:
            return envelope.get("data")
        message = str(envelope.get("message") or response.reason or "error")
        raise error_for(response.status_code, code, message, sending=sending)
