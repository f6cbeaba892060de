"""Texts received on a line: stored once, opt-outs recorded, the rest handed to the apps.

Pushed (webhook) and pulled (periodic task) messages take the same path and are stored
once per provider message id, so a message seen both ways is handled once. The gateway
knows no keyword itself: apps register handlers (in AppConfig.ready) and the first one
that recognises the text answers it.
"""

import hashlib
import logging
import re
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from persian.phones import log_mask, parse_mobile
from persian.text import normalize, to_ascii_digits

from . import purposes as sms_purposes
from .choices import InboundOutcome
from .models import InboundSms, SmsMessage, SmsOptOut
from .outbox import queue_sms


logger = logging.getLogger(__name__)

OPT_OUT_WORDS = {"لغو", "لغو11", "لغو ۱۱", "stop", "cancel"}
_NOT_KEYWORD = re.compile(r"[\s\.\-_،,؛;:!؟?\"'«»()]+")

# handler(inbound, sender as E.164, normalised body) -> an InboundOutcome, or None to pass.
# A handler may set `inbound.subject` to what the text was about; it is saved with the outcome.
KeywordHandler = Callable[[InboundSms, str, str], str | None]
_handlers: list[KeywordHandler] = []
_fallbacks: list[KeywordHandler] = []
# texts(purpose, language, **placeholders) -> the reply's words; set by the app that owns them.
_reply_texts: Callable[..., str] | None = None


def register(handler: KeywordHandler, *, fallback: bool = False) -> None:
    """Add a keyword handler; fallbacks are asked only when no handler took the text."""
    handlers = _fallbacks if fallback else _handlers
    if handler not in handlers:
        handlers.append(handler)


def register_reply_texts(texts: Callable[..., str]) -> None:
    """Where the words of the gateway's own replies (the opt-out confirmation) come from."""
    global _reply_texts
    _reply_texts = texts


def normalise_body(text: str) -> str:
    """The text as a keyword: letter forms folded, digits ASCII, spaces and punctuation gone."""
    return _NOT_KEYWORD.sub("", normalize(to_ascii_digits(text or "")))


def replied_recently(mobile, *purposes) -> bool:
    """Whether `mobile` was sent a reply of one of `purposes` within SMS_KEYWORD_REPLY_WINDOW."""
    since = timezone.now() - timedelta(seconds=settings.SMS_KEYWORD_REPLY_WINDOW)
    for purpose in purposes:
        sms_purposes.get(purpose)  # a misspelt purpose would never match: refuse it
    return SmsMessage.objects.filter(
        recipient=mobile, purpose__in=purposes, created_at__gte=since
    ).exists()


def receive(message) -> InboundSms | None:
    """Store and act on one inbound message (a `sms.backends.InboundMessage`).

    Returns None when the provider message id was seen before.
    """
    message_id = message.message_id
    id_column = InboundSms._meta.get_field("provider_message_id").max_length
    if not message_id or len(message_id) > id_column:
        # No id, or (from a provider's pull API) one longer than the column: a stable digest.
        source = message_id or f"{message.sender}|{message.text}|{message.received_at}"
        message_id = hashlib.sha256(source.encode("utf-8", "replace")).hexdigest()[:32]
    try:
        with transaction.atomic():
            inbound = InboundSms.objects.create(
                provider=message.provider,
                provider_message_id=message_id,
                sender=_storable(to_ascii_digits(message.sender))[:20],
                receiver=_storable(to_ascii_digits(message.receiver or ""))[:20],
                text=_storable(message.text)[:1000],
            )
    except IntegrityError:
        return None
    _act(inbound)
    return inbound


def _storable(text: str) -> str:
    """Text PostgreSQL can hold: pulled messages are not checked like pushed ones."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def _act(inbound: InboundSms) -> None:
    mobile = parse_mobile(inbound.sender)
    body = normalise_body(inbound.text)
    if mobile is None:
        _set_outcome(inbound, InboundOutcome.IGNORED)
        return
    if body in {normalise_body(word) for word in OPT_OUT_WORDS}:
        _opt_out(inbound, mobile)
        return
    for handler in [*_handlers, *_fallbacks]:
        # The handler's rows, its reply and the outcome are written together or not at all.
        with transaction.atomic():
            outcome = handler(inbound, mobile, body)
            if outcome is not None:
                _set_outcome(inbound, outcome)
                return
    _set_outcome(inbound, InboundOutcome.IGNORED)


def _opt_out(inbound: InboundSms, mobile) -> None:
    with transaction.atomic():
        _optout, created = SmsOptOut.objects.get_or_create(mobile=mobile)
        if created and _reply_texts is not None:
            queue_sms(
                recipient=mobile,
                text=_reply_texts("opt_out", settings.LANGUAGE_CODE),
                purpose=sms_purposes.OPT_OUT,
            )
        _set_outcome(inbound, InboundOutcome.OPT_OUT)
    logger.info("%s opted out of SMS", log_mask(mobile))


def _set_outcome(inbound: InboundSms, outcome: str) -> None:
    # The handler may have set the subject on this instance.
    InboundSms.objects.filter(pk=inbound.pk).update(
        outcome=outcome, subject_type=inbound.subject_type, subject_id=inbound.subject_id
    )


def pull_inbound() -> int:
    """Fetch unread messages from the provider (covers pushes that never arrived)."""
    from .backends import get_backend

    handled = 0
    for message in get_backend().fetch_inbound():
        if receive(message) is not None:
            handled += 1
    return handled
