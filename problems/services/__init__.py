"""The problems register's business logic, shared by the web form, the API and the SMS line.

Every change happens here, in one transaction per call, with the SMS it causes written to
the outbox in that same transaction (sms.outbox.queue_sms).
"""

import hashlib
import hmac
import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone, translation

from wagtail.log_actions import log

from persian.text import normalize
from registrations.models import Registration
from registrations.services import check_sms_allowance
from sms.outbox import queue_sms

from .. import purposes
from ..choices import OPEN_STATUSES, ReportStatus
from ..models import MobileCheck, ProblemSmsTexts, Report, ReportPhoto, StatusChange, Support
from . import photos, public


logger = logging.getLogger(__name__)

CODE_DIGITS = 6
NUMBER_DIGITS = 7
FORM_LINK_SALT = "problems.form-link"
DUPLICATE_LIMIT = 5
DUPLICATE_THRESHOLD = 0.2
DUPLICATE_CANDIDATES = 200

# What a reporter gives, in the order forms and the inspect view show it.
REPORT_FIELDS = (
    "problem",
    "title",
    "description",
    "province",
    "city",
    "neighbourhood",
    "people_affected",
    "since",
    "tried",
    "may_contact",
)

# Moderation actions in the audit log.
VERIFY = "problems.verify"
REJECT = "problems.reject"
MERGE = "problems.merge"
RESOLVE = "problems.resolve"
IN_INTERVENTION = "problems.in_intervention"
REOPEN = "problems.reopen"


class ProblemError(Exception):
    """A request the service refuses; `code` is stable for API clients, the message Persian."""

    code = "invalid"
    field: str | None = None

    def __init__(self, message: str = ""):
        super().__init__(message or self.default_message())

    def default_message(self) -> str:
        return ""


class CodeInvalid(ProblemError):
    code = "code_invalid"
    field = "code"

    def default_message(self):
        return translation.gettext("The code is not right. Check the SMS and try again.")


class CodeExpired(ProblemError):
    code = "code_expired"
    field = "code"

    def default_message(self):
        return translation.gettext(
            "This code has expired or was tried too often; ask for a new one."
        )


class LinkInvalid(ProblemError):
    code = "link_invalid"

    def default_message(self):
        return translation.gettext(
            "This link has expired or is not valid. Text the keyword again for a new one."
        )


class NotSupportable(ProblemError):
    code = "not_supportable"

    def default_message(self):
        return translation.gettext("Only verified, open reports can be supported.")


class AlreadySupported(ProblemError):
    code = "already_supported"

    def default_message(self):
        return translation.gettext("You have already supported this report.")


class WrongState(ProblemError):
    code = "wrong_state"

    def default_message(self):
        return translation.gettext("This report cannot take that action in its current status.")


# --- texts ------------------------------------------------------------------------------

TEXTS_CACHE_KEY = "problems:sms-texts"


def sms_texts() -> ProblemSmsTexts:
    """The default site's problem SMS texts (cached; saving them forgets the copy)."""
    texts = cache.get(TEXTS_CACHE_KEY)
    if texts is None:
        texts = (
            ProblemSmsTexts.objects.filter(site__is_default_site=True).first() or ProblemSmsTexts()
        )
        cache.set(TEXTS_CACHE_KEY, texts, 300)
    return texts


def forget_sms_texts(**kwargs) -> None:
    cache.delete(TEXTS_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(TEXTS_CACHE_KEY), robust=True)


def render_sms(purpose: str, language: str, **values) -> str:
    text = sms_texts().text_for(purpose, language)
    for name, value in values.items():
        text = text.replace("{" + name + "}", str(value))
    return " ".join(text.split())


# --- confirming a mobile ----------------------------------------------------------------


def _hash(check: MobileCheck, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"problems:{check.public_id}:{code}".encode(), hashlib.sha256).hexdigest()


def send_code(*, mobile, language: str) -> MobileCheck:
    """A 6-digit code to `mobile`, on the registration's rules (daily cap, wait between two).

    Raises registrations.services.TooManyCodes or ResendTooSoon (Persian messages).
    """
    with transaction.atomic():
        check_sms_allowance(mobile)
        check = MobileCheck(mobile=mobile)
        code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
        check.code_hash = _hash(check, code)
        check.code_expires_at = timezone.now() + timedelta(seconds=settings.REGISTRATION_CODE_TTL)
        check.save()
        queue_sms(
            recipient=mobile,
            text=render_sms("code", language, code=code),
            purpose=purposes.REPORT_CODE,
            subject=check,
        )
    return check


def check_code(*, check: MobileCheck, code: str) -> MobileCheck:
    """The right code marks the mobile verified; a wrong one is counted (committed first)."""
    with transaction.atomic():
        check = MobileCheck.objects.select_for_update().get(pk=check.pk)
        if check.verified_at is not None:
            return check
        if (
            not check.code_hash
            or check.code_expires_at is None
            or check.code_expires_at < timezone.now()
            or check.code_attempts >= settings.REGISTRATION_CODE_MAX_ATTEMPTS
        ):
            raise CodeExpired()
        if not hmac.compare_digest(check.code_hash, _hash(check, code)):
            check.code_attempts += 1
            check.save(update_fields=["code_attempts"])
            wrong = CodeInvalid()
        else:
            wrong = None
            check.verified_at = timezone.now()
            check.code_hash = ""
            check.save(update_fields=["verified_at", "code_hash"])
    if wrong is not None:
        raise wrong
    return check


def verified_mobile_token(mobile) -> str:
    """A signed token saying `mobile` was verified (an SMS code, or a text from it)."""
    return signing.dumps(str(mobile), salt=FORM_LINK_SALT, compress=True)


def mobile_from_token(token: str):
    """The verified mobile behind a token, while fresh; LinkInvalid otherwise."""
    from persian.phones import parse_mobile

    try:
        value = signing.loads(token, salt=FORM_LINK_SALT, max_age=settings.SMS_LINK_MAX_AGE)
    except signing.BadSignature as error:
        raise LinkInvalid() from error
    mobile = parse_mobile(value) if isinstance(value, str) else None
    if mobile is None:
        raise LinkInvalid()
    return mobile


def form_link_url(mobile, language: str = "fa") -> str:
    with translation.override(language):
        path = reverse("problems:report")
    return f"{settings.PUBLIC_BASE_URL}{path}?t={verified_mobile_token(mobile)}"


# --- reporting --------------------------------------------------------------------------


def search_text_of(title: str, description: str) -> str:
    return normalize(f"{title} {description}")


def _new_number() -> str:
    low = 10 ** (NUMBER_DIGITS - 1)
    return str(low + secrets.randbelow(9 * low))


def follow_url(report: Report) -> str:
    with translation.override(report.language):
        path = reverse("problems:follow", kwargs={"token": public.follow_token(report)})
    return f"{settings.PUBLIC_BASE_URL}{path}"


def submit(
    *,
    data: dict,
    mobile,
    source: str,
    language: str,
    group: Registration | None = None,
    show_group_name: bool = False,
    images=(),
) -> Report:
    """Save a validated report (mobile already verified) and SMS its number and follow link.

    `images` are uploaded files already checked by photos.check(); they are re-encoded
    without EXIF or other metadata before anything is stored.
    """
    cleaned = [photos.strip(image) for image in images]
    fields = {name: data[name] for name in REPORT_FIELDS if name in data}
    with transaction.atomic():
        report = Report(
            source=source,
            language=language,
            reporter_mobile=mobile,
            group=group,
            show_group_name=bool(group and show_group_name),
            search_text=search_text_of(fields.get("title", ""), fields.get("description", "")),
            **fields,
        )
        while True:
            report.number = _new_number()
            try:
                with transaction.atomic():
                    report.save(force_insert=True)
                break
            except IntegrityError:
                if not Report.objects.filter(number=report.number).exists():
                    raise
        for content in cleaned:
            photo = ReportPhoto(report=report)
            photo.image.save("photo.jpg", content, save=True)
        StatusChange.objects.create(report=report, status=ReportStatus.NEW)
        queue_sms(
            recipient=mobile,
            text=render_sms("receipt", language, number=report.number, link=follow_url(report)),
            purpose=purposes.REPORT_RECEIPT,
            subject=report,
        )
    logger.info("Problem report %s submitted (%s)", report.pk, source)
    return report


def likely_duplicates(*, problem, city: str, text: str, exclude=None) -> list[Report]:
    """Open reports of the same problem in the same city whose text is similar.

    PostgreSQL ranks by pg_trgm similarity of the Persian-normalised text; SQLite, which
    has no trigrams, keeps reports sharing at least two words and ranks by shared words.
    """
    folded = normalize(text or "")
    city_folded = normalize(city or "")
    if not folded or not city_folded or problem is None:
        return []
    candidates = Report.objects.filter(problem=problem, city=city.strip(), status__in=OPEN_STATUSES)
    if exclude is not None:
        candidates = candidates.exclude(pk=exclude)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramWordSimilarity

        # The newest DUPLICATE_CANDIDATES only: the cost is per candidate (0.05-0.15 ms each), and a
        # big city holds thousands of open reports of one problem (bench/README.md).
        newest = candidates.order_by("-created_at").values("pk")[:DUPLICATE_CANDIDATES]
        return list(
            Report.objects.filter(pk__in=newest)
            .annotate(similarity=TrigramWordSimilarity(folded, "search_text"))
            .filter(similarity__gte=DUPLICATE_THRESHOLD)
            .order_by("-similarity", "-priority")[:DUPLICATE_LIMIT]
        )
    words = {word for word in folded.split() if len(word) > 2}
    ranked = []
    for report in candidates.order_by("-created_at")[:DUPLICATE_CANDIDATES]:
        shared = len(words & set(report.search_text.split()))
        if shared >= min(2, len(words)):
            ranked.append((shared, report))
    ranked.sort(key=lambda pair: -pair[0])
    return [report for _, report in ranked[:DUPLICATE_LIMIT]]


# --- supports and priority ----------------------------------------------------------------

# priority = supports + 3 × distinct supporting groups + 2 × distinct cities of the supports
# (docs/problems.md): a problem many groups see, in many places, rises above one loud voice.
GROUP_WEIGHT = 3
CITY_WEIGHT = 2


def recount(report_id: int) -> None:
    """Refresh a report's support counts and priority from its Support rows."""
    counts = Support.objects.filter(report_id=report_id).aggregate(
        supports=Count("pk"),
        groups=Count("group", distinct=True),
        cities=Count("city", distinct=True, filter=~Q(city="")),
    )
    Report.objects.filter(pk=report_id).update(
        support_count=counts["supports"],
        group_support_count=counts["groups"],
        city_support_count=counts["cities"],
        priority=counts["supports"]
        + GROUP_WEIGHT * counts["groups"]
        + CITY_WEIGHT * counts["cities"],
    )
    transaction.on_commit(public.changed, robust=True)


def support(
    *, report: Report, mobile=None, group: Registration | None = None, city: str = ""
) -> Support:
    """Support a verified report once per mobile, or once per group when a group signs in."""
    if report.status not in (ReportStatus.VERIFIED, ReportStatus.IN_INTERVENTION):
        raise NotSupportable()
    with transaction.atomic():
        Report.objects.select_for_update().filter(pk=report.pk).first()
        supporters = Support.objects.filter(report=report)
        already = (
            # Once per group: its registrations share the account's mobile (accounts).
            supporters.filter(group__mobile=group.mobile).exists()
            if group is not None
            else supporters.filter(group__isnull=True, mobile=mobile).exists()
        )
        if already:
            raise AlreadySupported()
        row = Support.objects.create(
            report=report,
            mobile=None if group is not None else mobile,
            group=group,
            city=normalize(group.city if group is not None else city or ""),
        )
        recount(report.pk)
    return row


# --- moderation ---------------------------------------------------------------------------


def _notify(report: Report, reason: str = "") -> None:
    """The reporter hears each status change (suppressed by the outbox after an opt-out)."""
    with translation.override(report.language):
        label = str(ReportStatus(report.status).label)
    queue_sms(
        recipient=report.reporter_mobile,
        text=render_sms(
            "status", report.language, number=report.number, status=label, reason=reason
        ),
        purpose=purposes.STATUS_UPDATE,
        subject=report,
    )


def _move(
    report: Report, status: str, *, user, action: str, reason: str = "", data=None, allowed=()
) -> Report:
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.status not in allowed:
            raise WrongState()
        report.status = status
        if status == ReportStatus.VERIFIED and report.verified_at is None:
            report.verified_at = timezone.now()
        if status == ReportStatus.REJECTED:
            report.rejection_reason = reason
        report.save()
        StatusChange.objects.create(report=report, status=status, reason=reason, by=user)
        log(instance=report, action=action, user=user, data=data or {"reason": reason})
        _notify(report, reason)
        transaction.on_commit(public.changed, robust=True)
    return report


def verify(report: Report, *, user) -> Report:
    return _move(
        report, ReportStatus.VERIFIED, user=user, action=VERIFY, allowed=(ReportStatus.NEW,)
    )


def reject(report: Report, *, user, reason: str) -> Report:
    if not (reason or "").strip():
        raise ProblemError(translation.gettext("Give a reason for rejecting the report."))
    return _move(
        report,
        ReportStatus.REJECTED,
        user=user,
        action=REJECT,
        reason=reason.strip(),
        allowed=(ReportStatus.NEW, ReportStatus.VERIFIED),
    )


def resolve(report: Report, *, user) -> Report:
    return _move(
        report,
        ReportStatus.RESOLVED,
        user=user,
        action=RESOLVE,
        allowed=(ReportStatus.VERIFIED, ReportStatus.IN_INTERVENTION),
    )


def enter_intervention(report: Report, *, user, intervention: str = "") -> Report:
    """A verified report taken up by an intervention (the interventions app calls this)."""
    return _move(
        report,
        ReportStatus.IN_INTERVENTION,
        user=user,
        action=IN_INTERVENTION,
        data={"intervention": intervention},
        allowed=(ReportStatus.VERIFIED,),
    )


def leave_intervention(report: Report, *, user, reason: str = "") -> Report:
    """An intervention closed without resolving the report: it is verified and open again."""
    return _move(
        report,
        ReportStatus.VERIFIED,
        user=user,
        action=REOPEN,
        reason=reason,
        allowed=(ReportStatus.IN_INTERVENTION,),
    )


def merge(report: Report, *, into: Report, user) -> Report:
    """Merge a report into another: its supports move over (once per supporter), and its
    reporter becomes a supporter of the other, so nobody who saw the problem is lost."""
    if into.pk == report.pk or into.status not in OPEN_STATUSES:
        raise WrongState()
    with transaction.atomic():
        target = Report.objects.select_for_update().get(pk=into.pk)
        moved = _move(
            report,
            ReportStatus.MERGED,
            user=user,
            action=MERGE,
            data={"into": target.number},
            allowed=(ReportStatus.NEW, ReportStatus.VERIFIED),
        )
        Report.objects.filter(pk=moved.pk).update(merged_into=target)
        moved.merged_into = target
        existing = Support.objects.filter(report=target)
        taken_mobiles = set(existing.filter(group__isnull=True).values_list("mobile", flat=True))
        taken_groups = set(existing.exclude(group=None).values_list("group_id", flat=True))
        rows = list(Support.objects.filter(report=moved))
        rows.append(
            Support(
                mobile=moved.reporter_mobile if moved.group_id is None else None,
                group=moved.group,
                city=normalize(moved.city),
            )
        )
        for row in rows:
            if row.group_id is not None:
                if row.group_id in taken_groups:
                    continue
                taken_groups.add(row.group_id)
            else:
                if row.mobile in taken_mobiles:
                    continue
                taken_mobiles.add(row.mobile)
            Support.objects.create(
                report=target, mobile=row.mobile, group_id=row.group_id, city=row.city
            )
        Support.objects.filter(report=moved).delete()
        recount(target.pk)
        recount(moved.pk)
    return moved
