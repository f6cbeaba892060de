"""The SMS gateway: one interface over the console, in-memory, Kavenegar and SMS.ir back-ends."""

from registrations.sms.base import (
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
from registrations.sms.text import MAX_LENGTH, segment_count


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
