"""Texts received on a campaign's line: the keyword starts a registration, لغو opts out.

Pushed (webhook) and pulled (periodic task) messages take the same path and are stored
once per provider message id, so a message seen both ways is handled once.
"""

import hashlib
import logging
import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from campaigns.models import CampaignPage
from persian.phones import log_mask, parse_mobile
from persian.text import normalize, to_ascii_digits

from . import services
from .choices import InboundOutcome, SmsPurpose, Status
from .models import InboundSms, SmsMessage, SmsOptOut
from .outbox import queue_sms


logger = logging.getLogger(__name__)

OPT_OUT_WORDS = {"لغو", "لغو11", "لغو ۱۱", "stop", "cancel"}
_NOT_KEYWORD = re.compile(r"[\s\.\-_،,؛;:!؟?\"'«»()]+")


def normalise_body(text: str) -> str:
    """The text as a keyword: letter forms folded, digits ASCII, spaces and punctuation gone."""
    return _NOT_KEYWORD.sub("", normalize(to_ascii_digits(text or "")))


def campaign_for(line: str, body: str) -> CampaignPage | None:
    """The live campaign whose line received the text and whose keyword the text is."""
    candidates = CampaignPage.objects.live().filter(
        locale__language_code=settings.LANGUAGE_CODE, registration_open=True
    )
    line_digits = to_ascii_digits(line or "").lstrip("+")
    for campaign in candidates:
        if normalise_body(campaign.sms_keyword) != body:
            continue
        if not line_digits or line_digits.endswith(campaign.sms_line):
            return campaign
    return None


def receive(message) -> InboundSms | None:
    """Store and act on one inbound message (a `registrations.sms.InboundMessage`).

    Returns None when the provider message id was seen before.
    """
    message_id = (
        message.message_id
        or hashlib.sha256(
            f"{message.sender}|{message.text}|{message.received_at}".encode()
        ).hexdigest()[:32]
    )
    try:
        with transaction.atomic():
            inbound = InboundSms.objects.create(
                provider=message.provider,
                provider_message_id=message_id,
                sender=to_ascii_digits(message.sender)[:20],
                receiver=to_ascii_digits(message.receiver or "")[:20],
                text=message.text[:1000],
            )
    except IntegrityError:
        return None
    _act(inbound)
    return inbound


def _act(inbound: InboundSms) -> None:
    mobile = parse_mobile(inbound.sender)
    body = normalise_body(inbound.text)
    if mobile is None:
        _set_outcome(inbound, InboundOutcome.IGNORED)
        return
    if body in {normalise_body(word) for word in OPT_OUT_WORDS}:
        _opt_out(inbound, mobile)
        return
    campaign = campaign_for(inbound.receiver, body)
    if campaign is None:
        _help(inbound, mobile)
        return
    with transaction.atomic():
        registration, created = services.start_from_inbound_sms(campaign=campaign, mobile=mobile)
        if not created and _replied_recently(mobile, SmsPurpose.LINK):
            _set_outcome(inbound, InboundOutcome.REPEAT, registration)
            return
        if registration.status in (Status.DRAFT, Status.AWAITING_CONFIRMATION):
            text = services.render_sms(
                "link", registration.language, link=services.sms_link_url(registration)
            )
            queue_sms(
                recipient=mobile, text=text, purpose=SmsPurpose.LINK, registration=registration
            )
        else:
            # Already registered: remind them of their tracking code instead of a new form.
            services.send_receipt(registration)
        _set_outcome(inbound, InboundOutcome.KEYWORD, registration)


def _replied_recently(mobile, purpose) -> bool:
    since = timezone.now() - timedelta(seconds=settings.SMS_KEYWORD_REPLY_WINDOW)
    return SmsMessage.objects.filter(
        recipient=mobile, purpose=purpose, created_at__gte=since
    ).exists()


def _opt_out(inbound: InboundSms, mobile) -> None:
    with transaction.atomic():
        _optout, created = SmsOptOut.objects.get_or_create(mobile=mobile)
        if created:
            queue_sms(
                recipient=mobile,
                text=services.render_sms("opt_out", settings.LANGUAGE_CODE),
                purpose=SmsPurpose.OPT_OUT,
            )
        _set_outcome(inbound, InboundOutcome.OPT_OUT)
    logger.info("%s opted out of SMS", log_mask(mobile))


def _help(inbound: InboundSms, mobile) -> None:
    if _replied_recently(mobile, SmsPurpose.HELP):
        _set_outcome(inbound, InboundOutcome.IGNORED)
        return
    campaign = (
        CampaignPage.objects.live()
        .filter(locale__language_code=settings.LANGUAGE_CODE, registration_open=True)
        .first()
    )
    keyword = campaign.sms_keyword if campaign else "9"
    with transaction.atomic():
        queue_sms(
            recipient=mobile,
            text=services.render_sms("help", settings.LANGUAGE_CODE, keyword=keyword),
            purpose=SmsPurpose.HELP,
        )
        _set_outcome(inbound, InboundOutcome.HELP)


def _set_outcome(inbound: InboundSms, outcome: str, registration=None) -> None:
    InboundSms.objects.filter(pk=inbound.pk).update(outcome=outcome, registration=registration)


def pull_inbound() -> int:
    """Fetch unread messages from the provider (covers pushes that never arrived)."""
    from .sms import get_backend

    handled = 0
    for message in get_backend().fetch_inbound():
        if receive(message) is not None:
            handled += 1
    return handled
