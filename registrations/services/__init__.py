"""Registration business logic, shared by the web form, the API and the SMS line.

Views and API endpoints validate input and call these functions; everything that
changes the database happens here, in one transaction per call, with the SMS it causes
written to the outbox in that same transaction.
"""

import hashlib
import hmac
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.models import Locale

from campaigns.lookup import live_campaigns
from campaigns.models import CampaignPage
from persian.phones import log_mask
from sms import purposes as sms_purposes
from sms.models import SmsMessage
from sms.outbox import queue_sms

from .. import purposes
from ..choices import Source, Status
from ..models import VISITOR_FIELDS, Registration, SmsTexts


logger = logging.getLogger(__name__)

TRACKING_CODE_DIGITS = 8
CODE_DIGITS = 6
SMS_LINK_SALT = "registrations.sms-link"

# Fields a visitor fills in; everything else on Registration is set by these services.
FORM_FIELDS = (*VISITOR_FIELDS, "extra_answers")


class RegistrationError(Exception):
    """A request the service refuses; `code` is stable for API clients, the message is Persian."""

    code = "invalid"
    field: str | None = None

    def __init__(self, message: str = "", registration: Registration | None = None):
        super().__init__(message or self.default_message())
        self.registration = registration

    def default_message(self) -> str:
        return ""


class AlreadyRegistered(RegistrationError):
    code = "already_registered"
    field = "mobile"

    def default_message(self):
        return translation.gettext("This mobile number is already registered for this campaign.")


class TooManyCodes(RegistrationError):
    code = "too_many_codes"

    def default_message(self):
        return translation.gettext(
            "Too many codes were sent to this number today; try again tomorrow."
        )


class ResendTooSoon(RegistrationError):
    code = "resend_too_soon"

    def __init__(self, seconds_left: int, registration=None):
        self.seconds_left = seconds_left
        super().__init__(
            translation.gettext("You can ask for a new code in %(seconds)s seconds.")
            % {"seconds": seconds_left},
            registration,
        )


class WrongState(RegistrationError):
    code = "wrong_state"

    def default_message(self):
        return translation.gettext("This registration is not waiting for a code.")


class CodeInvalid(RegistrationError):
    code = "code_invalid"
    field = "code"

    def default_message(self):
        return translation.gettext("The code is not right. Check the SMS and try again.")


class CodeExpired(RegistrationError):
    code = "code_expired"
    field = "code"

    def default_message(self):
        return translation.gettext(
            "This code has expired or was tried too often; ask for a new one."
        )


class LinkInvalid(RegistrationError):
    code = "link_invalid"

    def default_message(self):
        return translation.gettext(
            "This link has expired or is not valid. Text the keyword again for a new one."
        )


# --- campaign -----------------------------------------------------------------------


def source_campaign(page: CampaignPage) -> CampaignPage:
    """The campaign's page in the default language: registrations from every language meet there."""
    if page.locale.language_code == settings.LANGUAGE_CODE:
        return page
    return page.get_translation_or_none(Locale.get_default()) or page


# What a Wagtail slug can be; anything else (a NUL, a very long string) never reaches the
# database, which would refuse it with an error instead of "no such campaign".
SLUG = re.compile(r"[-\w]{1,255}")


def live_campaign(slug: str) -> CampaignPage | None:
    """The published campaign with this slug in the active language (else the default one).

    Comes from the cache of live campaigns (with their extra questions loaded), so a
    registration costs no query to find its campaign.
    """
    if not isinstance(slug, str) or not SLUG.fullmatch(slug):
        return None
    campaigns = live_campaigns()
    language = translation.get_language() or settings.LANGUAGE_CODE
    return campaigns.get((language, slug)) or campaigns.get((settings.LANGUAGE_CODE, slug))


# --- codes --------------------------------------------------------------------------


def _new_tracking_code() -> str:
    """8 random digits, never starting with 0. Uniqueness is the database's job (see _insert)."""
    low = 10 ** (TRACKING_CODE_DIGITS - 1)
    return str(low + secrets.randbelow(9 * low))


def _insert(registration: Registration) -> None:
    """Insert a new registration, drawing another tracking code on the rare collision.

    Raises AlreadyRegistered when the mobile is taken for the campaign (a concurrent
    submission won the race); the tracking code's own unique index settles collisions
    without a lookup before every insert.
    """
    while True:
        try:
            with transaction.atomic():
                registration.save(force_insert=True)
            return
        except IntegrityError as error:
            registrations = Registration.objects
            if registrations.filter(
                campaign=registration.campaign, mobile=registration.mobile
            ).exists():
                raise AlreadyRegistered() from error
            if not registrations.filter(tracking_code=registration.tracking_code).exists():
                raise  # another constraint: not something a new code can fix
            registration.tracking_code = _new_tracking_code()


def code_digest(scope: str, code: str) -> str:
    """A keyed hash of a code for `scope` (what it is for): codes are stored only this way."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{scope}:{code}".encode(), hashlib.sha256).hexdigest()


def new_code() -> str:
    """A random 6-digit verification code (registration and sign-in follow the same rules)."""
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def _code_hash(registration: Registration, code: str) -> str:
    return code_digest(str(registration.public_id), code)


SMS_TEXTS_CACHE_KEY = "registrations:sms-texts"


def _sms_texts() -> SmsTexts:
    """The default site's SMS texts, or the built-in defaults before staff save any.

    Cached: every registration sends an SMS, staff rarely edit the texts (saving them
    forgets the cached copy, see `forget_sms_texts`).
    """
    texts = cache.get(SMS_TEXTS_CACHE_KEY)
    if texts is None:
        texts = SmsTexts.objects.filter(site__is_default_site=True).first() or SmsTexts()
        cache.set(SMS_TEXTS_CACHE_KEY, texts, 300)
    return texts


def forget_sms_texts(**kwargs) -> None:
    cache.delete(SMS_TEXTS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(SMS_TEXTS_CACHE_KEY), robust=True)


def render_sms(purpose: str, language: str, **values) -> str:
    text = _sms_texts().text_for(purpose, language)
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def check_sms_allowance(mobile, *, cooldown: bool = True) -> None:
    """Enforce the daily cap on verification codes to a number, and the wait between two.

    Every code sent to a number counts, whichever app sent it: the purposes declared with
    `code=True` (registration, sign-in, report codes).
    """
    now = timezone.now()
    recent = SmsMessage.objects.filter(recipient=mobile, purpose__in=sms_purposes.codes())
    if (
        recent.filter(created_at__gte=now - timedelta(days=1)).count()
        >= settings.REGISTRATION_DAILY_CODE_CAP
    ):
        raise TooManyCodes()
    if not cooldown:
        return
    last = recent.order_by("-created_at").values_list("created_at", flat=True).first()
    if last is not None:
        wait = settings.REGISTRATION_RESEND_COOLDOWN - int((now - last).total_seconds())
        if wait > 0:
            raise ResendTooSoon(wait)


def _new_code(registration: Registration) -> str:
    """A fresh 6-digit code on the registration (hash, expiry, attempts reset), not yet saved."""
    code = new_code()
    registration.code_hash = _code_hash(registration, code)
    registration.code_expires_at = timezone.now() + timedelta(
        seconds=settings.REGISTRATION_CODE_TTL
    )
    registration.code_attempts = 0
    return code


def queue_for(registration: Registration, *, text: str, purpose: str) -> SmsMessage:
    """An SMS to the registration's mobile, sent for it (in the caller's transaction)."""
    return queue_sms(
        recipient=registration.mobile, text=text, purpose=purpose, subject=registration
    )


def _queue_code(registration: Registration, code: str) -> SmsMessage:
    return queue_for(
        registration,
        text=render_sms("verification", registration.language, code=code),
        purpose=purposes.VERIFICATION,
    )


def send_receipt(registration: Registration) -> SmsMessage:
    return queue_for(
        registration,
        text=render_sms("receipt", registration.language, tracking_code=registration.tracking_code),
        purpose=purposes.RECEIPT,
    )


# --- registering --------------------------------------------------------------------


@dataclass
class Outcome:
    registration: Registration
    needs_code: bool


def register(*, campaign: CampaignPage, data: dict, source: str, language: str) -> Outcome:
    """Save a validated registration and send the mobile a verification code.

    `data` holds FORM_FIELDS, already validated and normalised (ASCII digits, E.164 mobile).
    A draft left by an inbound SMS for the same mobile is completed rather than duplicated;
    any other registration for that mobile and campaign is refused, never overwritten.
    """
    campaign = source_campaign(campaign)
    fields = {name: data[name] for name in FORM_FIELDS if name in data}
    with transaction.atomic():
        existing = (
            Registration.objects.select_for_update()
            .filter(campaign=campaign, mobile=fields["mobile"])
            .first()
        )
        if existing is not None and existing.status != Status.DRAFT:
            raise AlreadyRegistered(registration=existing)
        # A first code for this campaign only counts against the daily cap: the number may
        # just have registered for another campaign.
        check_sms_allowance(fields["mobile"], cooldown=False)
        if existing is not None:
            registration = existing
            for name, value in fields.items():
                setattr(registration, name, value)
            registration.language = language
        else:
            registration = Registration(
                campaign=campaign,
                tracking_code=_new_tracking_code(),
                source=source,
                language=language,
                **fields,
            )
        registration.status = Status.AWAITING_CONFIRMATION
        code = _new_code(registration)
        if registration.pk is None:
            _insert(registration)
        else:
            registration.save()
        _queue_code(registration, code)
    logger.info("Registration %s awaiting confirmation (%s)", registration.pk, source)
    return Outcome(registration=registration, needs_code=True)


def complete_from_sms_link(*, registration: Registration, data: dict, language: str) -> Outcome:
    """Finish a registration started by texting the keyword: the phone is already verified."""
    fields = {name: data[name] for name in FORM_FIELDS if name in data and name != "mobile"}
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status not in (Status.DRAFT, Status.AWAITING_CONFIRMATION):
            raise AlreadyRegistered(registration=registration)
        for name, value in fields.items():
            setattr(registration, name, value)
        registration.language = language
        registration.status = Status.CONFIRMED
        registration.confirmed_at = timezone.now()
        registration.phone_verified_at = registration.phone_verified_at or registration.confirmed_at
        registration.code_hash = ""
        registration.save()
        send_receipt(registration)
    return Outcome(registration=registration, needs_code=False)


def confirm(*, registration: Registration, code: str) -> Registration:
    """Check the SMS code; the right one confirms the registration and sends the receipt.

    A wrong code is counted even though the call raises: the attempt is committed first.
    """
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != Status.AWAITING_CONFIRMATION:
            raise WrongState(registration=registration)
        expired = (
            not registration.code_hash
            or registration.code_expires_at is None
            or registration.code_expires_at < timezone.now()
            or registration.code_attempts >= settings.REGISTRATION_CODE_MAX_ATTEMPTS
        )
        if expired:
            raise CodeExpired(registration=registration)
        if not hmac.compare_digest(registration.code_hash, _code_hash(registration, code)):
            registration.code_attempts += 1
            registration.save(update_fields=["code_attempts", "updated_at"])
            wrong = CodeInvalid(registration=registration)
        else:
            wrong = None
            now = timezone.now()
            registration.status = Status.CONFIRMED
            registration.confirmed_at = now
            registration.phone_verified_at = now
            registration.code_hash = ""
            registration.code_expires_at = None
            registration.save()
            send_receipt(registration)
    if wrong is not None:
        raise wrong
    logger.info("Registration %s confirmed", registration.pk)
    return registration


def resend_code(*, registration: Registration) -> SmsMessage:
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != Status.AWAITING_CONFIRMATION:
            raise WrongState(registration=registration)
        check_sms_allowance(registration.mobile)
        code = _new_code(registration)
        registration.save(
            update_fields=["code_hash", "code_expires_at", "code_attempts", "updated_at"]
        )
        return _queue_code(registration, code)


def seconds_until_resend(registration: Registration) -> int:
    last = (
        registration.sms_messages.filter(purpose=purposes.VERIFICATION)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    if last is None:
        return 0
    return max(
        0, settings.REGISTRATION_RESEND_COOLDOWN - int((timezone.now() - last).total_seconds())
    )


def find_by_tracking_code(*, tracking_code: str, mobile) -> Registration | None:
    """The registration with this tracking code *and* mobile; None for any mismatch."""
    return (
        Registration.objects.filter(tracking_code=tracking_code, mobile=mobile)
        .exclude(status=Status.DRAFT)
        .select_related("campaign")
        .first()
    )


# --- SMS links ----------------------------------------------------------------------


def make_sms_link_token(registration: Registration) -> str:
    return signing.dumps(registration.pk, salt=SMS_LINK_SALT, compress=True)


def registration_from_sms_link(token: str, campaign: CampaignPage | None = None) -> Registration:
    """The draft an SMS link was issued for, while the link is fresh and the draft unfinished.

    With `campaign` (the form the link is opened on), only a draft of that campaign: a link
    made for one campaign never completes another's form with the wrong questions.
    """
    try:
        pk = signing.loads(token, salt=SMS_LINK_SALT, max_age=settings.SMS_LINK_MAX_AGE)
    except signing.BadSignature as error:
        raise LinkInvalid() from error
    if not isinstance(pk, int):
        raise LinkInvalid()
    registration = Registration.objects.filter(pk=pk).select_related("campaign").first()
    if registration is None or registration.status not in (
        Status.DRAFT,
        Status.AWAITING_CONFIRMATION,
    ):
        raise LinkInvalid(registration=registration)
    if campaign is not None and registration.campaign_id != source_campaign(campaign).pk:
        raise LinkInvalid(registration=registration)
    return registration


def sms_link_url(registration: Registration) -> str:
    path = reverse("sms-link", kwargs={"token": make_sms_link_token(registration)})
    return f"{settings.PUBLIC_BASE_URL}{path}"


def start_from_inbound_sms(*, campaign: CampaignPage, mobile) -> tuple[Registration, bool]:
    """A phone-verified draft for a number that texted the keyword, and whether it is new."""
    campaign = source_campaign(campaign)
    with transaction.atomic():
        registration = (
            Registration.objects.select_for_update()
            .filter(campaign=campaign, mobile=mobile)
            .first()
        )
        if registration is not None:
            return registration, False
        registration = Registration(
            campaign=campaign,
            mobile=mobile,
            tracking_code=_new_tracking_code(),
            source=Source.SMS,
            language=settings.LANGUAGE_CODE,
            status=Status.DRAFT,
            phone_verified_at=timezone.now(),
        )
        try:
            _insert(registration)
        except AlreadyRegistered:
            return Registration.objects.get(campaign=campaign, mobile=mobile), False
    logger.info("Draft registration %s started by SMS from %s", registration.pk, log_mask(mobile))
    return registration, True
