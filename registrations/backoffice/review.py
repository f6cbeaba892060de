"""Staff review of registrations: approve, reject, resend the confirmation SMS, delete, export.

Every action is one transaction that changes the registration and writes an entry to
Wagtail's audit log (who, when, what), so the site history and each registration's
history show it. Bulk versions apply the single action to each registration it fits and
report what they skipped; one registration's refusal never undoes another's change.
"""

import logging
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from sms import outbox

from .. import services
from ..choices import Status
from ..models import Registration


logger = logging.getLogger(__name__)

APPROVE = "nehzat.registration.approve"
REJECT = "nehzat.registration.reject"
RESEND = "nehzat.registration.resend_sms"
EXPORT = "nehzat.registration.export"
RESUME_SMS = "nehzat.sms.resume"
DELETE = "wagtail.delete"

APPROVABLE = (Status.CONFIRMED, Status.REJECTED)
REJECTABLE = (Status.AWAITING_CONFIRMATION, Status.CONFIRMED, Status.APPROVED)
REASON_MAX_LENGTH = 1000


class ReviewError(Exception):
    """A review action refused; the message is for staff, in their language."""


@dataclass
class BulkResult:
    done: list[Registration] = field(default_factory=list)
    skipped: list[tuple[Registration, str]] = field(default_factory=list)


def _locked(registration: Registration) -> Registration:
    return Registration.objects.select_for_update().get(pk=registration.pk)


def approve(registration: Registration, *, user) -> Registration:
    """A confirmed (or earlier rejected) registration becomes approved."""
    with transaction.atomic():
        registration = _locked(registration)
        if registration.status not in APPROVABLE:
            raise ReviewError(
                _(
                    "Only confirmed or rejected registrations can be approved; this one is %(status)s."
                )
                % {"status": registration.get_status_display()}
            )
        previous = registration.status
        registration.status = Status.APPROVED
        registration.rejection_reason = ""
        registration.reviewed_at = timezone.now()
        registration.reviewed_by = user
        registration.save(
            update_fields=["status", "rejection_reason", "reviewed_at", "reviewed_by", "updated_at"]
        )
        log(registration, APPROVE, user=user, data={"previous_status": previous})
    return registration


def reject(registration: Registration, *, user, reason: str) -> Registration:
    """Reject with a reason staff can read later; the reason is required."""
    reason = (reason or "").strip()
    if not reason:
        raise ReviewError(_("Give a reason for rejecting the registration."))
    if len(reason) > REASON_MAX_LENGTH:
        raise ReviewError(
            _("The reason is too long (at most %(limit)s characters).")
            % {"limit": REASON_MAX_LENGTH}
        )
    with transaction.atomic():
        registration = _locked(registration)
        if registration.status not in REJECTABLE:
            raise ReviewError(
                _("This registration cannot be rejected; it is %(status)s.")
                % {"status": registration.get_status_display()}
            )
        previous = registration.status
        registration.status = Status.REJECTED
        registration.rejection_reason = reason
        registration.reviewed_at = timezone.now()
        registration.reviewed_by = user
        registration.save(
            update_fields=["status", "rejection_reason", "reviewed_at", "reviewed_by", "updated_at"]
        )
        log(registration, REJECT, user=user, data={"previous_status": previous, "reason": reason})
    return registration


def resend_confirmation(registration: Registration, *, user):
    """Send again the SMS the person is waiting for.

    Awaiting confirmation: a new verification code (the services' daily cap and cooldown
    apply). Confirmed or approved: the receipt with the tracking code.
    """
    with transaction.atomic():
        registration = _locked(registration)
        if registration.status == Status.AWAITING_CONFIRMATION:
            try:
                message = services.resend_code(registration=registration)
            except services.RegistrationError as error:
                raise ReviewError(str(error)) from error
        elif registration.status in (Status.CONFIRMED, Status.APPROVED):
            message = services.send_receipt(registration)
        else:
            raise ReviewError(
                _("There is no confirmation SMS to resend for a registration that is %(status)s.")
                % {"status": registration.get_status_display()}
            )
        log(
            registration,
            RESEND,
            user=user,
            data={"purpose": message.purpose, "sms_id": message.pk},
        )
    return message


def delete(registration: Registration, *, user) -> None:
    """Delete the registration; its SMS rows stay (unlinked) for delivery accounting."""
    with transaction.atomic():
        registration = _locked(registration)
        log(
            registration,
            DELETE,
            user=user,
            deleted=True,
            data={"tracking_code": registration.tracking_code, "status": registration.status},
        )
        registration.delete()


def _bulk(action, registrations, **kwargs) -> BulkResult:
    result = BulkResult()
    for registration in registrations:
        try:
            action(registration, **kwargs)
        except ReviewError as error:
            result.skipped.append((registration, str(error)))
        else:
            result.done.append(registration)
    return result


def bulk_approve(registrations, *, user) -> BulkResult:
    return _bulk(approve, registrations, user=user)


def bulk_reject(registrations, *, user, reason: str) -> BulkResult:
    if not (reason or "").strip():
        raise ReviewError(_("Give a reason for rejecting the registration."))
    return _bulk(reject, registrations, user=user, reason=reason)


def bulk_resend_confirmation(registrations, *, user) -> BulkResult:
    return _bulk(resend_confirmation, registrations, user=user)


def bulk_delete(registrations, *, user) -> BulkResult:
    return _bulk(delete, registrations, user=user)


def log_export(*, user, export_format: str, filters: dict, rows: int):
    """One audit entry per export: who, when (the entry's time), which filters, how many rows.

    An export concerns a set, not one registration, so the entry is written against the
    registration model's content type; it shows in the site history report.
    """
    return log(
        ContentType.objects.get_for_model(Registration),
        EXPORT,
        user=user,
        title=str(Registration._meta.verbose_name_plural),
        data={"format": export_format, "filters": filters, "rows": rows},
    )


def resume_sms(*, user) -> int:
    """Clear the gateway pause (after an account-level provider error) and send what waited."""
    from sms.models import SmsGatewayState

    state = SmsGatewayState.current()
    reason = state.reason
    handed = outbox.resume_gateway()
    log(state, RESUME_SMS, user=user, data={"reason": reason, "queued": handed})
    logger.info("SMS sending resumed by user %s; %s messages handed to workers", user.pk, handed)
    return handed
