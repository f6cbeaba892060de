"""Passwordless sign-in for groups, and the one seam other apps ask "which group is this?".

Built on the registration's code rules (registrations.services: the same 6-digit codes,
daily cap and resend wait per mobile), not django-allauth or django-otp: docs/accounts.md
says why. The answer to "send me a code" never depends on whether the number registered,
and the work that does (looking it up, writing the code, queueing the SMS) runs in a
Celery task after the response, so its timing tells nothing either.
"""

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model, login
from django.core import signing
from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme

from wagtail.log_actions import log

from persian.phones import digits_key, log_mask, masked
from registrations import services as registration_services
from registrations.choices import Status
from registrations.models import Registration
from sms.choices import InboundOutcome
from sms.inbound import normalise_body, replied_recently
from sms.models import SmsOptOut
from sms.outbox import queue_sms

from . import purposes
from .models import (
    PROFILE_FIELDS,
    AccountTexts,
    ApiToken,
    CoMemberInvite,
    GroupAccount,
    Member,
    ProposedChange,
    SignInCode,
)


logger = logging.getLogger(__name__)

BACKEND = "accounts.backends.MemberBackend"
# A registration the group finished: it may sign in to follow it (rejected ones too, to read why).
SIGNED_IN_STATUSES = (Status.CONFIRMED, Status.APPROVED, Status.REJECTED, Status.WITHDRAWN)

SIGN_IN = "accounts.sign_in"
SIGN_OUT = "accounts.sign_out"
LOCKED_OUT = "accounts.locked_out"
LINK_SALT = "accounts.sign-in-link"
PROFILE_EDITED = "accounts.profile_edited"
CHANGE_PROPOSED = "accounts.change_proposed"
CHANGE_ACCEPTED = "accounts.change_accepted"
CHANGE_DECLINED = "accounts.change_declined"
MEMBER_ADDED = "accounts.member_added"
MEMBER_REMOVED = "accounts.member_removed"
MOBILE_CHANGED = "accounts.mobile_changed"
WITHDRAWN = "accounts.withdrawn"


class SignInError(Exception):
    code = "invalid"

    def __init__(self, message: str = ""):
        super().__init__(message or self.default_message())

    def default_message(self) -> str:
        return ""


class CodeRejected(SignInError):
    """A wrong, expired, used or never-sent code: one answer for all, so nothing is learnt."""

    code = "code_invalid"

    def default_message(self):
        return translation.gettext(
            "The code is not right or has expired. Check the SMS or ask for a new code."
        )


class LinkRejected(SignInError):
    code = "link_invalid"

    def default_message(self):
        return translation.gettext(
            "This sign-in link has expired or was used already. Text the keyword again, "
            "or sign in with a code."
        )


class LockedOut(SignInError):
    code = "locked_out"

    def default_message(self):
        return translation.gettext(
            "Too many wrong codes for this number. Please try again in a few minutes."
        )


# --- who may sign in -------------------------------------------------------------------


def signed_in_registrations(mobile) -> QuerySet[Registration]:
    return (
        Registration.objects.filter(mobile=mobile, status__in=SIGNED_IN_STATUSES)
        .select_related("campaign")
        .order_by("-created_at")
    )


def _may_sign_in(mobile) -> bool:
    """A member of a group, or the mobile of a finished registration."""
    return Member.objects.filter(mobile=mobile).exists() or signed_in_registrations(mobile).exists()


@dataclass
class SignedInGroup:
    """What other apps get for a signed-in member: the group, its registrations, who it is."""

    account: GroupAccount
    member: Member

    @property
    def mobile(self):
        return self.account.mobile

    @property
    def registrations(self) -> QuerySet[Registration]:
        return signed_in_registrations(self.account.mobile)

    @property
    def is_representative(self) -> bool:
        return self.member.role == Member.Role.REPRESENTATIVE


def signed_in_group(request) -> SignedInGroup | None:
    """The group the request's user signs in for, or None (anonymous, staff, anyone else)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.is_staff or user.is_superuser:
        return None
    cached = getattr(request, "_signed_in_group", False)
    if cached is not False:
        return cached
    member = Member.objects.select_related("group").filter(user=user).first()
    request._signed_in_group = SignedInGroup(member.group, member) if member else None
    return request._signed_in_group


# --- codes -----------------------------------------------------------------------------


def _texts() -> AccountTexts:
    return AccountTexts.objects.filter(site__is_default_site=True).first() or AccountTexts()


def render_sms(purpose: str, language: str, **values) -> str:
    text = _texts().text_for(purpose, language)
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def send_code(*, mobile: str, language: str) -> SignInCode | None:
    """Write a code and queue its SMS, if the number may sign in and is within its allowance.

    Runs in the Celery task (accounts.tasks.request_code). Safe to run twice: the resend wait makes the second a no-op.
    """
    if not _may_sign_in(mobile):
        logger.info("Sign-in code asked for %s: no registration, nothing sent", log_mask(mobile))
        return None
    with transaction.atomic():
        try:
            registration_services.check_sms_allowance(mobile)
        except registration_services.RegistrationError:
            logger.info("Sign-in code for %s not sent: daily cap or resend wait", log_mask(mobile))
            return None
        code = registration_services.new_code()
        # Earlier codes stop working: only the newest SMS is the one to type.
        SignInCode.objects.filter(
            mobile=mobile, kind=SignInCode.Kind.CODE, used_at__isnull=True
        ).update(expires_at=timezone.now())
        row = SignInCode.objects.create(
            mobile=mobile,
            code_hash=_digest(mobile, code),
            expires_at=timezone.now() + timedelta(seconds=settings.REGISTRATION_CODE_TTL),
        )
        queue_sms(
            recipient=mobile,
            text=render_sms("code", language, code=code),
            purpose=purposes.SIGN_IN_CODE,
            subject=row,
        )
    return row


def _digest(mobile, code: str) -> str:
    # The mobile is in the hash: a code sent to one number never matches another's row.
    return registration_services.code_digest(f"sign-in:{mobile}", code)


def _wrong_key(mobile) -> str:
    return f"accounts:wrong-codes:{digits_key(mobile)}"


def _locked(mobile) -> bool:
    return (cache.get(_wrong_key(mobile)) or 0) >= settings.REGISTRATION_CODE_MAX_ATTEMPTS


def _count_wrong(mobile) -> int:
    key = _wrong_key(mobile)
    cache.add(key, 0, settings.ACCOUNT_LOCKOUT_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, settings.ACCOUNT_LOCKOUT_SECONDS)
        return 1


def verify_code(*, mobile: str, code: str) -> Member:
    """The member for `mobile` if `code` is its newest live code; raises SignInError otherwise.

    Wrong codes count per mobile whether or not it registered (the same lockout for all),
    and against the code itself (5 tries and it is void, as for registration codes).
    """
    if _locked(mobile):
        raise LockedOut()
    now = timezone.now()
    with transaction.atomic():
        row = (
            SignInCode.objects.select_for_update()
            .filter(
                mobile=mobile, kind=SignInCode.Kind.CODE, used_at__isnull=True, expires_at__gt=now
            )
            .order_by("-created_at")
            .first()
        )
        good = (
            row is not None
            and row.attempts < settings.REGISTRATION_CODE_MAX_ATTEMPTS
            and hmac.compare_digest(row.code_hash, _digest(mobile, code))
            and _may_sign_in(mobile)
        )
        if good:
            row.used_at = now
            row.save(update_fields=["used_at"])
            member = _member_for(mobile)
        elif row is not None:
            row.attempts += 1
            row.save(update_fields=["attempts"])
    if not good:
        if _count_wrong(mobile) >= settings.REGISTRATION_CODE_MAX_ATTEMPTS:
            _audit_lockout(mobile)
            raise LockedOut()
        raise CodeRejected()
    cache.delete(_wrong_key(mobile))
    return member


def _member_for(mobile) -> Member:
    """The member signing in with `mobile`; a representative's account is made on first use."""
    member = Member.objects.select_related("user", "group").filter(mobile=mobile).first()
    if member is not None:
        return member
    account, _created = GroupAccount.objects.get_or_create(mobile=mobile)
    user = get_user_model()(username=f"member-{secrets.token_hex(8)}", is_staff=False)
    user.set_unusable_password()
    user.save()
    return Member.objects.create(
        user=user, group=account, mobile=mobile, role=Member.Role.REPRESENTATIVE
    )


# --- sign-in links, for texting the keyword ---------------------------------------------


def make_link(mobile) -> str:
    """A signed, single-use, short-lived sign-in URL for a number that may sign in."""
    return _make_link(mobile)[0]


def _make_link(mobile) -> tuple[str, SignInCode]:
    nonce = secrets.token_urlsafe(16)
    row = SignInCode.objects.create(
        kind=SignInCode.Kind.LINK,
        mobile=mobile,
        code_hash=_digest(mobile, f"link:{nonce}"),
        expires_at=timezone.now() + timedelta(seconds=settings.ACCOUNT_LINK_MAX_AGE),
    )
    token = signing.dumps({"m": str(mobile), "n": nonce}, salt=LINK_SALT, compress=True)
    return f"{settings.PUBLIC_BASE_URL}{reverse('accounts:link', kwargs={'token': token})}", row


def _link_row(token: str, *, lock: bool = False):
    try:
        value = signing.loads(token, salt=LINK_SALT, max_age=settings.ACCOUNT_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if not (isinstance(value, dict) and isinstance(value.get("m"), str)):
        return None
    if not isinstance(value.get("n"), str):
        return None
    rows = SignInCode.objects.select_for_update() if lock else SignInCode.objects
    return rows.filter(
        kind=SignInCode.Kind.LINK,
        mobile=value["m"],
        code_hash=_digest(value["m"], f"link:{value['n']}"),
        used_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).first()


def link_is_valid(token: str) -> bool:
    return _link_row(token) is not None


def use_link(token: str) -> Member:
    """The member a fresh, unused link was sent to; the link works once."""
    with transaction.atomic():
        row = _link_row(token, lock=True)
        if row is None or not _may_sign_in(row.mobile):
            raise LinkRejected()
        row.used_at = timezone.now()
        row.save(update_fields=["used_at"])
        return _member_for(row.mobile)


def keyword_reply(mobile) -> bool:
    """Text a sign-in link to `mobile` if it may sign in (at most once per reply window).

    The person asked for it, so its purpose is transactional (accounts.purposes): it
    reaches a group that withdrew and so opted out of everything else.
    """
    if not _may_sign_in(mobile):
        return False
    if not replied_recently(mobile, purposes.SIGN_IN_LINK):
        with transaction.atomic():
            url, row = _make_link(mobile)
            queue_sms(
                recipient=mobile,
                text=render_sms("link", settings.LANGUAGE_CODE, link=url),
                purpose=purposes.SIGN_IN_LINK,
                subject=row,
            )
    return True


def keyword(inbound, mobile: str, body: str) -> str | None:
    """sms keyword handler: the account keyword from a number that may sign in gets a link.

    Any other number is passed on (the registrations' help reply tells it how to register):
    the reply goes to the sender's own phone, so it learns only about itself.
    """
    if body != normalise_body(_texts().keyword):
        return None
    if not keyword_reply(mobile):
        return None
    return InboundOutcome.KEYWORD


# --- sessions and the audit trail -------------------------------------------------------


class StaffSignedIn(SignInError):
    """A member signing in where a staff session is: refused, the staff session is kept."""

    code = "staff_session"

    def default_message(self):
        return translation.gettext(
            "You are signed in to the admin in this browser. Sign out of the admin first, "
            "then sign in for your group."
        )


NEXT = "accounts:next"


def safe_next(request, value) -> str | None:
    """`value` when it is a same-site path inside the group's account (/account/…, /en/account/…),
    else None: a sign-in never sends anyone off the site or to another part of it."""
    if not isinstance(value, str) or not value or len(value) > 2000:
        return None
    if "\\" in value or any(ord(c) < 32 for c in value):
        return None
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        return None
    if not url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    path = unquote(parts.path)
    if any(segment in (".", "..") for segment in path.split("/")) or "\\" in path:
        return None
    if any(ord(c) < 32 for c in path):
        return None
    prefixes = ["/account/"] + [
        f"/{code}/account/" for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE
    ]
    if not any(path.startswith(prefix) for prefix in prefixes):
        return None
    return value


def staff_session(request) -> bool:
    """Whether the request's session is someone's who is not a group member (staff, editors)."""
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and signed_in_group(request) is None)


def sign_in(request, member: Member) -> None:
    """Start the member's session: its own lifetime, on the member back-end, logged.

    Never over a staff session (login() would flush it): the caller refuses first, this
    is the last guard.
    """
    if staff_session(request):
        raise StaffSignedIn()
    login(request, member.user, backend=BACKEND)
    request.session.set_expiry(settings.ACCOUNT_SESSION_AGE)
    request.session["accounts:member"] = True
    _record_sign_in(member, via=getattr(request, "_sign_in_via", "code"))
    request._signed_in_group = SignedInGroup(member.group, member)


def _record_sign_in(member: Member, *, via: str) -> None:
    Member.objects.filter(pk=member.pk).update(last_sign_in_at=timezone.now())
    log(member, SIGN_IN, user=member.user, data={"via": via})


# --- API tokens ---------------------------------------------------------------------------


def _token_hash(key: str) -> str:
    # A plain SHA-256 is enough: the key is 256 random bits, not something guessable.
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(member: Member) -> tuple[str, ApiToken]:
    """A new API token for the member (the key is shown once, only its hash is kept)."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        member=member,
        key_hash=_token_hash(key),
        expires_at=timezone.now() + timedelta(seconds=settings.ACCOUNT_SESSION_AGE),
    )
    _record_sign_in(member, via="api")
    return key, token


def token_member(key: str) -> tuple[Member, ApiToken] | None:
    """The member a live token belongs to, or None (unknown, expired, a staff user's)."""
    if not (isinstance(key, str) and 20 <= len(key) <= 100 and key.isascii()):
        return None
    token = (
        ApiToken.objects.select_related("member__user", "member__group")
        .filter(
            key_hash=_token_hash(key),
            expires_at__gt=timezone.now(),
            member__user__is_active=True,
            member__user__is_staff=False,
            member__user__is_superuser=False,
        )
        .first()
    )
    return (token.member, token) if token else None


def revoke_token(token: ApiToken) -> None:
    """Sign out through the API: the token stops working, and the trail says so."""
    ApiToken.objects.filter(pk=token.pk).delete()
    log(token.member, SIGN_OUT, user=token.member.user, data={"via": "api"})


def audit_sign_out(sender, request, user, **kwargs) -> None:
    """user_logged_out: a member's sign-out goes into the audit trail (staff ones do not)."""
    member = getattr(user, "group_member", None) if user is not None else None
    if member is not None:
        log(member, SIGN_OUT, user=user)


def _audit_lockout(mobile) -> None:
    member = Member.objects.filter(mobile=mobile).first()
    logger.warning("Sign-in locked for %s after wrong codes", log_mask(mobile))
    if member is not None:
        log(member, LOCKED_OUT, user=member.user)


# --- the group's profile ---------------------------------------------------------------


def group_registration(group: SignedInGroup, tracking_code: str) -> Registration | None:
    """One of the group's own registrations; None for anyone else's (the view answers 404)."""
    if not (isinstance(tracking_code, str) and tracking_code.isascii() and tracking_code.isdigit()):
        return None
    return group.registrations.filter(tracking_code=tracking_code).first()


def pending_change(registration: Registration) -> ProposedChange | None:
    return registration.proposed_changes.filter(status=ProposedChange.Status.PENDING).first()


def edit_profile(
    *, group: SignedInGroup, registration: Registration, data: dict
) -> ProposedChange | None:
    """Save the group's edit: at once on a registration not yet reviewed, as a proposed change
    on an approved one (the approved values stay in force, and in exports, until accepted).

    Every edit is in the registration's history (Wagtail's audit log): who, what, old, new.
    """
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        changes = {
            name: {"old": getattr(registration, name), "new": data[name]}
            for name in PROFILE_FIELDS
            if name in data and getattr(registration, name) != data[name]
        }
        if not changes:
            return None
        if registration.status == Status.WITHDRAWN:
            raise MemberError(translation.gettext("This registration was withdrawn."))
        user = group.member.user
        if registration.status == Status.APPROVED:
            registration.proposed_changes.filter(status=ProposedChange.Status.PENDING).update(
                status=ProposedChange.Status.SUPERSEDED
            )
            change = ProposedChange.objects.create(
                registration=registration, member=group.member, changes=changes
            )
            log(registration, CHANGE_PROPOSED, user=user, data={"changes": changes})
            return change
        for name, values in changes.items():
            setattr(registration, name, values["new"])
        registration.save()
        log(registration, PROFILE_EDITED, user=user, data={"changes": changes})
    return None


def accept_change(change: ProposedChange, *, user) -> Registration:
    """Staff accept a proposed change: its new values replace the approved ones."""
    with transaction.atomic():
        change = ProposedChange.objects.select_for_update().get(pk=change.pk)
        if change.status != ProposedChange.Status.PENDING:
            raise SignInError(translation.gettext("This change was already decided."))
        registration = Registration.objects.select_for_update().get(pk=change.registration_id)
        for name, values in change.changes.items():
            if name in PROFILE_FIELDS:
                setattr(registration, name, values["new"])
        registration.save()
        change.status = ProposedChange.Status.ACCEPTED
        change.decided_at = timezone.now()
        change.decided_by = user
        change.save(update_fields=["status", "decided_at", "decided_by"])
        log(registration, CHANGE_ACCEPTED, user=user, data={"changes": change.changes})
    return registration


def decline_change(change: ProposedChange, *, user) -> None:
    with transaction.atomic():
        updated = ProposedChange.objects.filter(
            pk=change.pk, status=ProposedChange.Status.PENDING
        ).update(status=ProposedChange.Status.DECLINED, decided_at=timezone.now(), decided_by=user)
        if not updated:
            raise SignInError(translation.gettext("This change was already decided."))
        log(change.registration, CHANGE_DECLINED, user=user, data={"changes": change.changes})


# --- co-members ----------------------------------------------------------------------------


class MemberError(SignInError):
    code = "member_refused"


def co_members(group: SignedInGroup):
    return group.account.members.filter(role=Member.Role.CO_MEMBER).order_by("created_at")


def invite_co_member(*, group: SignedInGroup, name: str, mobile: str, language: str):
    """Send a code to a co-member's mobile; they become a member once it is typed back."""
    if not group.is_representative:
        raise MemberError(translation.gettext("Only the representative can add members."))
    if co_members(group).count() >= settings.ACCOUNT_MAX_CO_MEMBERS:
        raise MemberError(
            translation.gettext("A group can have at most %(count)s co-members.")
            % {"count": settings.ACCOUNT_MAX_CO_MEMBERS}
        )
    if Member.objects.filter(mobile=mobile).exists():
        raise MemberError(translation.gettext("This number cannot be added."))
    with transaction.atomic():
        try:
            registration_services.check_sms_allowance(mobile)
        except registration_services.RegistrationError as error:
            raise MemberError(str(error)) from error
        group.account.invites.filter(mobile=mobile).delete()
        code = registration_services.new_code()
        invite = CoMemberInvite.objects.create(
            group=group.account,
            name=name,
            mobile=mobile,
            code_hash=_digest(mobile, f"member:{code}"),
            expires_at=timezone.now() + timedelta(seconds=settings.REGISTRATION_CODE_TTL),
        )
        queue_sms(
            recipient=mobile,
            text=render_sms("code", language, code=code),
            purpose=purposes.MOBILE_CHECK,
            subject=invite,
        )
    return invite


def confirm_co_member(*, group: SignedInGroup, invite_id: int, code: str) -> Member:
    """The code sent to the co-member's mobile makes them a member (5 tries, 10 minutes)."""
    with transaction.atomic():
        invite = (
            CoMemberInvite.objects.select_for_update()
            .filter(pk=invite_id, group=group.account)
            .first()
        )
        if invite is None:
            raise CodeRejected()
        live = (
            invite.expires_at > timezone.now()
            and invite.attempts < settings.REGISTRATION_CODE_MAX_ATTEMPTS
        )
        if not (
            live and hmac.compare_digest(invite.code_hash, _digest(invite.mobile, f"member:{code}"))
        ):
            invite.attempts += 1
            invite.save(update_fields=["attempts"])
            wrong = True
        else:
            wrong = False
            if Member.objects.filter(mobile=invite.mobile).exists():
                raise MemberError(translation.gettext("This number cannot be added."))
            if co_members(group).count() >= settings.ACCOUNT_MAX_CO_MEMBERS:
                raise MemberError(
                    translation.gettext("A group can have at most %(count)s co-members.")
                    % {"count": settings.ACCOUNT_MAX_CO_MEMBERS}
                )
            user = get_user_model()(username=f"member-{secrets.token_hex(8)}", is_staff=False)
            user.set_unusable_password()
            user.save()
            member = Member.objects.create(
                user=user,
                group=group.account,
                mobile=invite.mobile,
                name=invite.name,
                role=Member.Role.CO_MEMBER,
            )
            invite.delete()
            log(member, MEMBER_ADDED, user=group.member.user)
    if wrong:
        raise CodeRejected()
    return member


def remove_co_member(*, group: SignedInGroup, member_id: int) -> None:
    """The representative removes a co-member: their user (and so their sessions) go too."""
    if not group.is_representative:
        raise MemberError(translation.gettext("Only the representative can remove members."))
    member = co_members(group).filter(pk=member_id).select_related("user").first()
    if member is None:
        raise MemberError(translation.gettext("No such member."))
    with transaction.atomic():
        log(member, MEMBER_REMOVED, user=group.member.user)
        member.user.delete()


# --- the representative's mobile --------------------------------------------------------


def _mobile_free_for(group: SignedInGroup, mobile) -> bool:
    """Whether the group can move to `mobile`: no member has it, no campaign clashes."""
    if Member.objects.filter(mobile=mobile).exists():
        return False
    campaigns = group.registrations.values_list("campaign_id", flat=True)
    return not Registration.objects.filter(mobile=mobile, campaign_id__in=campaigns).exists()


def request_mobile_change(*, group: SignedInGroup, new_mobile: str, language: str) -> None:
    """Send a code to the new number; the change happens once it is typed back."""
    if not group.is_representative:
        raise MemberError(translation.gettext("Only the representative can change the mobile."))
    if not _mobile_free_for(group, new_mobile):
        raise MemberError(translation.gettext("This number cannot be used."))
    with transaction.atomic():
        try:
            registration_services.check_sms_allowance(new_mobile)
        except registration_services.RegistrationError as error:
            raise MemberError(str(error)) from error
        SignInCode.objects.filter(
            kind=SignInCode.Kind.MOBILE_CHANGE, mobile=new_mobile, used_at__isnull=True
        ).update(expires_at=timezone.now())
        code = registration_services.new_code()
        row = SignInCode.objects.create(
            kind=SignInCode.Kind.MOBILE_CHANGE,
            mobile=new_mobile,
            code_hash=_digest(new_mobile, f"change:{group.account.pk}:{code}"),
            expires_at=timezone.now() + timedelta(seconds=settings.REGISTRATION_CODE_TTL),
        )
        queue_sms(
            recipient=new_mobile,
            text=render_sms("code", language, code=code),
            purpose=purposes.MOBILE_CHECK,
            subject=row,
        )


def confirm_mobile_change(*, group: SignedInGroup, new_mobile: str, code: str) -> None:
    """The right code moves the group, its registrations and its representative to the new
    number, and tells the old number by SMS (a stolen session cannot change it silently)."""
    with transaction.atomic():
        row = (
            SignInCode.objects.select_for_update()
            .filter(
                kind=SignInCode.Kind.MOBILE_CHANGE,
                mobile=new_mobile,
                used_at__isnull=True,
                expires_at__gt=timezone.now(),
            )
            .order_by("-created_at")
            .first()
        )
        good = (
            row is not None
            and row.attempts < settings.REGISTRATION_CODE_MAX_ATTEMPTS
            and hmac.compare_digest(
                row.code_hash, _digest(new_mobile, f"change:{group.account.pk}:{code}")
            )
        )
        if not good:
            if row is not None:
                row.attempts += 1
                row.save(update_fields=["attempts"])
        else:
            if not _mobile_free_for(group, new_mobile):
                raise MemberError(translation.gettext("This number cannot be used."))
            old = str(group.account.mobile)
            row.used_at = timezone.now()
            row.save(update_fields=["used_at"])
            for registration in Registration.objects.select_for_update().filter(
                pk__in=group.registrations.values("pk")
            ):
                registration.mobile = new_mobile
                registration.save(update_fields=["mobile", "updated_at"])
                log(
                    registration,
                    MOBILE_CHANGED,
                    user=group.member.user,
                    data={"old": log_mask(old), "new": log_mask(new_mobile)},
                )
            GroupAccount.objects.filter(pk=group.account.pk).update(mobile=new_mobile)
            Member.objects.filter(pk=group.member.pk).update(mobile=new_mobile)
            queue_sms(
                recipient=old,
                text=render_sms(
                    "mobile_changed", settings.LANGUAGE_CODE, mobile=masked(new_mobile)
                ),
                purpose=purposes.MOBILE_CHANGED,
            )
            group.account.mobile = group.member.mobile = new_mobile
    if not good:
        raise CodeRejected()


# --- withdrawing -----------------------------------------------------------------------------


def withdraw(*, group: SignedInGroup, registration: Registration) -> Registration:
    """The group withdraws a registration: kept, marked withdrawn, its pending changes void.

    Once none of the group's registrations is still in force, its number is opted out of
    SMS: only what it asks for (sign-in codes) is sent to it. The retention purge removes its
    personal fields with everyone else's, by age.
    """
    with transaction.atomic():
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == Status.WITHDRAWN:
            return registration
        old_status = registration.status
        registration.status = Status.WITHDRAWN
        registration.save(update_fields=["status", "updated_at"])
        registration.proposed_changes.filter(status=ProposedChange.Status.PENDING).update(
            status=ProposedChange.Status.SUPERSEDED
        )
        log(registration, WITHDRAWN, user=group.member.user, data={"from": old_status})
        if not group.registrations.exclude(status=Status.WITHDRAWN).exists():
            SmsOptOut.objects.get_or_create(mobile=group.account.mobile)
    return registration
