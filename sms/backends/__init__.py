"""The SMS gateway: one interface over the console, in-memory, Kavenegar and SMS.ir back-ends."""

from sms.backends.base import (
    AccountSmsError,
    AmbiguousSmsError,
    BaseSmsBackend,
    DeliveryReport,
    ErrorKind,
    InboundMessage,
    PermanentSmsError,
    SendResult,
    SmsError,
    TransientSmsError,
    get_backend,
)
from sms.backends.text import MAX_LENGTH, segment_count


__all__ = [
    "MAX_LENGTH",
    "AccountSmsError",
    "AmbiguousSmsError",
    "BaseSmsBackend",
    "DeliveryReport",
    "ErrorKind",
    "InboundMessage",
    "PermanentSmsError",
    "SendResult",
    "SmsError",
    "TransientSmsError",
    "get_backend",
    "segment_count",
]
