"""The SMS gateway interface every back-end implements, its errors and results.

Callers (the outbox task, the webhooks) talk only to `get_backend()` and the types here;
which provider sits behind it is the `SMS_BACKEND` setting.
"""

import os
import threading
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

import requests

from persian.phones import normalize_sender, parse_mobile
from persian.text import to_ascii_digits
from sms.backends.text import MAX_LENGTH


class ErrorKind(StrEnum):
    TRANSIENT = "transient"
    PERMANENT = "permanent"
    ACCOUNT = "account"
    AMBIGUOUS = "ambiguous"


class SmsError(Exception):
    """A provider call failed. `kind` tells the caller what to do next.

    `retry_safe` is True when sending the same message again cannot produce a second SMS:
    the provider never received it, refused it, or de-duplicates by our idempotency key.
    `code` is the provider's own code (as text) when it sent one. `message` never holds
    an API key.
    """

    kind: ClassVar[ErrorKind]
    default_retry_safe: ClassVar[bool] = True

    def __init__(self, message: str, *, code: str | None = None, retry_safe: bool | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.retry_safe = self.default_retry_safe if retry_safe is None else retry_safe

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep `code` and `retry_safe` when the error is pickled (Celery, multiprocessing).
        return _rebuild_error, (type(self), self.message, self.code, self.retry_safe)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, code={self.code!r}, retry_safe={self.retry_safe})"


def _rebuild_error(
    cls: type[SmsError], message: str, code: str | None, retry_safe: bool
) -> SmsError:
    return cls(message, code=code, retry_safe=retry_safe)


class TransientSmsError(SmsError):
    """Try again later, with backoff (network trouble, throttling, provider overloaded)."""

    kind = ErrorKind.TRANSIENT


class PermanentSmsError(SmsError):
    """This message can never be sent (invalid number, text too long, ...). Mark it failed."""

    kind = ErrorKind.PERMANENT


class AccountSmsError(SmsError):
    """No message can be sent until a person fixes the account (credit, key, IP, line)."""

    kind = ErrorKind.ACCOUNT


class AmbiguousSmsError(SmsError):
    """The provider may have sent it and cannot de-duplicate a resend: reconcile, never resend."""

    kind = ErrorKind.AMBIGUOUS
    default_retry_safe = False


SEND_STATUSES = ("queued", "sent", "delivered")
REPORT_STATUSES = ("queued", "sent", "delivered", "failed", "unknown")


@dataclass(frozen=True)
class SendResult:
    provider: str
    message_id: str
    status: str  # one of SEND_STATUSES
    raw: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class DeliveryReport:
    message_id: str
    status: str  # one of REPORT_STATUSES
    provider_status: str  # the provider's own code, as text; "" when it gave none


@dataclass(frozen=True)
class InboundMessage:
    provider: str
    message_id: str
    sender: str  # E.164 for an Iranian mobile, else the sender's digits as received
    receiver: str  # our line
    text: str
    received_at: datetime | None = None


# --- back-ends -------------------------------------------------------------------------

_SENDER_KEYS = ("from", "sender", "mobile")
_TEXT_KEYS = ("message", "text", "body")
_RECEIVER_KEYS = ("to", "receptor", "line", "number", "linenumber")
_ID_KEYS = ("messageid", "id", "receivereturnid")
_STATUS_KEYS = ("status", "deliverystate", "state")


class BaseSmsBackend:
    name: ClassVar[str] = ""
    supports_idempotency: ClassVar[bool] = False

    def send(self, *, to: str, text: str, idempotency_key: int) -> SendResult:
        raise NotImplementedError

    def fetch_reports(self, message_ids: list[str]) -> list[DeliveryReport]:
        raise NotImplementedError

    def fetch_inbound(self) -> list[InboundMessage]:
        raise NotImplementedError

    def parse_inbound_push(self, data: Mapping[str, str]) -> InboundMessage:
        """An inbound SMS pushed to our webhook (GET query or POST form), read defensively."""
        fields = _lower_keys(data)
        sender = _first(fields, _SENDER_KEYS)
        text = _first(fields, _TEXT_KEYS)
        if not sender or not text:
            raise ValueError("inbound push without a sender or a text")
        return InboundMessage(
            provider=self.name,
            message_id=_message_id(_first(fields, _ID_KEYS) or ""),
            sender=normalize_sender(sender),
            receiver=normalize_sender(_first(fields, _RECEIVER_KEYS) or ""),
            text=text,
            received_at=unix_time(_first(fields, ("date", "receiveddatetime", "time"))),
        )

    def parse_report_push(self, data: Mapping[str, str]) -> list[DeliveryReport]:
        """Delivery reports pushed to our webhook; several when ids and statuses are lists."""
        fields = _lower_keys(data)
        ids = _split(_first(fields, ("messageid", "id")))
        statuses = _split(_first(fields, _STATUS_KEYS))
        if not ids or not statuses or len(ids) != len(statuses):
            raise ValueError("report push without matching message ids and statuses")
        return [
            DeliveryReport(message_id=_message_id(i), status=self.map_status(s), provider_status=s)
            for i, s in zip(ids, statuses, strict=True)
        ]

    def map_status(self, provider_status: str) -> str:
        """One of REPORT_STATUSES for a provider's status code; "unknown" when unrecognised."""
        return provider_status if provider_status in REPORT_STATUSES else "unknown"

    def check_message(self, to: str, text: str) -> str:
        """Refuse, before any request, what no provider would send; return `to` as E.164."""
        e164 = parse_mobile(to)
        if e164 is None:
            raise PermanentSmsError("the receiver is not an Iranian mobile number")
        if not text.strip():
            raise PermanentSmsError("the text is empty")
        if len(text) > MAX_LENGTH:
            raise PermanentSmsError(f"the text is {len(text)} characters, over {MAX_LENGTH}")
        return e164


class HttpSmsBackend(BaseSmsBackend):
    """A provider reached over HTTPS with a key, on one `requests.Session` per thread."""

    def __init__(
        self, *, base_url: str, api_key: str, sender_line: str, timeout: tuple[float, float]
    ):
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.sender_line = str(sender_line)
        self.timeout = timeout
        self._local = threading.local()

    def session(self) -> requests.Session:
        # Sessions keep connections alive; one per thread, as a Session is not thread-safe.
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            session.headers["Accept"] = "application/json"
            # With trust_env, requests scans the whole environment for proxy and CA-bundle
            # variables on every call (0.2-0.4 ms of CPU per SMS). They are read here once
            # instead, for the one host this back-end talks to.
            session.trust_env = False
            session.proxies = requests.utils.get_environ_proxies(self.base_url)
            ca_bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
            if ca_bundle:
                session.verify = ca_bundle
        return session

    def redact(self, text: str) -> str:
        """`text` with the API key masked (it may be in the URL of a requests error)."""
        return text.replace(self.api_key, "***") if self.api_key else text


# The longest provider message id kept (the models' provider_message_id columns hold 64).
MAX_MESSAGE_ID_LENGTH = 64


def _lower_keys(data: Mapping[str, Any]) -> dict[str, str]:
    """The pushed fields by lower-case name; ValueError (a 400) for a NUL in any of them.

    No provider sends NUL characters, and PostgreSQL refuses them in any text column.
    """
    fields = {}
    for key, value in data.items():
        if isinstance(value, list | tuple):  # a parse_qs() dict rather than a QueryDict
            value = value[-1] if value else ""
        key, value = str(key), "" if value is None else str(value)
        if "\x00" in key or "\x00" in value:
            raise ValueError("a pushed field holds a NUL character")
        fields[key.lower()] = value
    return fields


def _message_id(value: str) -> str:
    if len(value) > MAX_MESSAGE_ID_LENGTH:
        raise ValueError(f"a message id longer than {MAX_MESSAGE_ID_LENGTH} characters")
    return value


def _first(fields: dict[str, str], keys: tuple[str, ...]) -> str | None:
    for key in keys:
        value = fields.get(key)
        if value is not None and value.strip() != "":
            return value
    return None


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()] if value else []


def unix_time(value: str | int | None) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(to_ascii_digits(str(value))), tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


# --- choosing the back-end -------------------------------------------------------------

BACKENDS = {
    "console": "sms.backends.console.ConsoleBackend",
    "locmem": "sms.backends.locmem.LocmemBackend",
    "kavenegar": "sms.backends.kavenegar.KavenegarBackend",
    "smsir": "sms.backends.smsir.SmsirBackend",
}

# A back-end reads these when it is built; a cached one is reused only while they are equal.
_SETTING_NAMES = (
    "SMS_BACKEND",
    "SMS_SENDER_LINE",
    "SMS_CONNECT_TIMEOUT",
    "SMS_READ_TIMEOUT",
    "KAVENEGAR_BASE_URL",
    "KAVENEGAR_API_KEY",
    "SMSIR_BASE_URL",
    "SMSIR_API_KEY",
)
_cache: dict[str, tuple[tuple[Any, ...], BaseSmsBackend]] = {}
_cache_lock = threading.Lock()


# The back-ends lived in registrations.sms until the gateway became its own app (issue 13);
# a deployment's SMS_BACKEND may still name them there.
OLD_PACKAGE = "registrations.sms."
NEW_PACKAGE = "sms.backends."


def resolve(name: str) -> tuple[str, bool]:
    """The dotted path `name` stands for, and whether `name` was an old `registrations.sms` path."""
    path = BACKENDS.get(name, name)
    if path.startswith(OLD_PACKAGE):
        return NEW_PACKAGE + path.removeprefix(OLD_PACKAGE), True
    return path, False


def backend_class(name: str) -> type[BaseSmsBackend]:
    """The class `name` names; ImproperlyConfigured when it names no back-end."""
    path, _old = resolve(name)
    try:
        found = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"SMS_BACKEND {name!r} is not a known SMS back-end") from exc
    if not (isinstance(found, type) and issubclass(found, BaseSmsBackend)):
        raise ImproperlyConfigured(f"SMS_BACKEND {name!r} is not an SMS back-end class")
    return found


def get_backend(name: str | None = None) -> BaseSmsBackend:
    """The configured back-end (`SMS_BACKEND`: a short name or a dotted path), reused per process."""
    name = name or settings.SMS_BACKEND
    snapshot = tuple(getattr(settings, setting, None) for setting in _SETTING_NAMES)
    with _cache_lock:
        cached = _cache.get(name)
        if cached is not None and cached[0] == snapshot:
            return cached[1]
        path, old = resolve(name)
        if old:
            warnings.warn(
                f"SMS_BACKEND {name!r}: the SMS back-ends moved, use {path!r}",
                DeprecationWarning,
                stacklevel=2,
            )
        backend = backend_class(name)()
        _cache[name] = (snapshot, backend)
        return backend


def timeout_setting() -> tuple[float, float]:
    """(connect, read) timeouts in seconds for provider HTTP calls."""
    return (float(settings.SMS_CONNECT_TIMEOUT), float(settings.SMS_READ_TIMEOUT))
