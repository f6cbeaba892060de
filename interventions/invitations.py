"""Inviting matched groups to an intervention: one SMS with a signed link to the group's
account, where the group accepts (offering capacities, so it becomes a participant) or
declines; one reminder after a few days; no answer after a few more, for the coordinator.

The model is in invitation_models.py (loaded by models.py); these are the services.
"""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import models, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from registrations.choices import Capacity, Status
from sms.outbox import queue_sms

from .choices import Stage
from .invitation_models import ANSWERED, Invitation, InvitationStatus
from .models import Intervention, Participant
from .purposes import INVITATION
from .services import records
from .services.rules import InterventionError, facilitates, is_coordinator


logger = logging.getLogger(__name__)

TOKEN_SALT = "interventions.invitation"  # noqa: S105 - a signing salt, not a secret
# How long the SMS link opens the invitation (the group signs in to answer it).
TOKEN_MAX_AGE = timedelta(days=60)
REMIND_AFTER = timedelta(days=3)
NO_ANSWER_AFTER = timedelta(days=4)  # after the reminder


# --- the link --------------------------------------------------------------------------


def token_for(invitation: Invitation) -> str:
    return signing.dumps(invitation.public_id.hex, salt=TOKEN_SALT)


def from_token(token: str) -> Invitation | None:
    """The invitation a genuine, unexpired link names, or None (never says which it was)."""
    try:
        value = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
        public_id = uuid.UUID(hex=value)
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return (
        Invitation.objects.select_related("intervention", "registration")
        .filter(public_id=public_id)
        .first()
    )


def link_for(invitation: Invitation, language: str = "fa") -> str:
    with translation.override(language):
        path = reverse("interventions:invitation", kwargs={"token": token_for(invitation)})
    return f"{settings.PUBLIC_BASE_URL}{path}"


def _sms(invitation: Invitation, *, reminder: bool) -> None:
    registration = invitation.registration
    intervention = invitation.intervention
    with translation.override(registration.language):
        values = {
            "title": intervention.title,
            "city": intervention.city,
            "link": link_for(invitation, registration.language),
        }
        if reminder:
            text = (
                _(
                    "Reminder: you are invited to the intervention “%(title)s” in %(city)s. Answer here: %(link)s"
                )
                % values
            )
        else:
            text = (
                _(
                    "You are invited to take part in the intervention “%(title)s” in %(city)s. Answer here: %(link)s"
                )
                % values
            )
    # Not a transactional purpose: a number that opted out gets nothing.
    queue_sms(recipient=registration.mobile, text=text, purpose=INVITATION, subject=invitation)


# --- who may invite --------------------------------------------------------------------


def may_invite(intervention: Intervention, user) -> bool:
    return is_coordinator(user) or facilitates(intervention, user=user)


def invite(intervention: Intervention, registrations, *, user) -> list[Invitation]:
    """Invite each approved group once; those already invited or taking part are skipped.

    Returns the new invitations (each has had its one SMS queued, in this transaction).
    """
    if not may_invite(intervention, user):
        raise InterventionError(_("Only coordinators and the facilitator can invite groups."))
    registrations = list(registrations)
    if not registrations:
        raise InterventionError(_("Choose at least one group to invite."))
    if any(r.status != Status.APPROVED for r in registrations):
        raise InterventionError(_("Only approved groups can take part."))
    created = []
    with transaction.atomic():
        intervention = Intervention.objects.select_for_update().get(pk=intervention.pk)
        if intervention.stage == Stage.CLOSED:
            raise InterventionError(_("This intervention is closed."))
        taken = set(
            Invitation.objects.filter(intervention=intervention).values_list(
                "registration_id", flat=True
            )
        ) | set(
            Participant.objects.filter(intervention=intervention).values_list(
                "registration_id", flat=True
            )
        )
        for registration in registrations:
            if registration.pk in taken:
                continue
            taken.add(registration.pk)
            invitation = Invitation.objects.create(
                intervention=intervention, registration=registration, invited_by=user
            )
            _sms(invitation, reminder=False)
            created.append(invitation)
        if created:
            # The app's "recorded" audit action: the log says what and for which groups.
            records._audit(
                intervention,
                user,
                "invitations",
                groups=[i.registration.tracking_code for i in created],
            )
    return created


# --- the group's answer ----------------------------------------------------------------


def invitations_of(group):
    """The invitations of a signed-in group's own registrations (never anyone else's)."""
    return (
        Invitation.objects.filter(registration__in=group.registrations)
        .select_related("intervention", "registration")
        .order_by("-invited_at", "-pk")
    )


def _own(invitation: Invitation, group) -> Invitation:
    """The invitation, locked, if it belongs to the group and can still be answered."""
    row = (
        Invitation.objects.select_for_update()
        .select_related("intervention", "registration")
        .filter(pk=invitation.pk, registration__in=group.registrations)
        .first()
    )
    if row is None:
        raise InterventionError(_("This invitation is not for your group."))
    if row.status in ANSWERED:
        raise InterventionError(_("This invitation has been answered already."))
    if row.intervention.stage == Stage.CLOSED:
        raise InterventionError(_("This intervention is closed."))
    return row


def accept(invitation: Invitation, *, group, capacities, show_name=False) -> Participant:
    """The group takes part, offering these capacities (at least one)."""
    capacities = list(dict.fromkeys(capacities or []))
    if not capacities:
        raise InterventionError(_("Choose at least one thing your group offers."))
    if set(capacities) - set(Capacity.values):
        raise InterventionError(_("Unknown capacity."))
    with transaction.atomic():
        row = _own(invitation, group)
        participant = records.add_participant(
            row.intervention,
            registration=row.registration,
            capacities=capacities,
            show_name=show_name,
        )
        row.status = InvitationStatus.ACCEPTED
        row.offered_capacities = capacities
        row.answered_at = timezone.now()
        row.save(update_fields=["status", "offered_capacities", "answered_at"])
        records._audit(
            row.intervention, None, "invitation accepted", group=row.registration.tracking_code
        )
    return participant


def decline(invitation: Invitation, *, group) -> Invitation:
    with transaction.atomic():
        row = _own(invitation, group)
        row.status = InvitationStatus.DECLINED
        row.answered_at = timezone.now()
        row.save(update_fields=["status", "answered_at"])
        records._audit(
            row.intervention, None, "invitation declined", group=row.registration.tracking_code
        )
    return row


# --- reminders (Celery beat) -----------------------------------------------------------


def remind_due(now=None) -> tuple[int, int]:
    """Remind once the invitations unanswered for REMIND_AFTER; mark no answer those still
    unanswered NO_ANSWER_AFTER the reminder. Safe to run any number of times at once: each
    row is claimed by a conditional UPDATE, so no reminder is sent twice."""
    now = now or timezone.now()
    open_stage = ~Q(intervention__stage=Stage.CLOSED)
    due = Invitation.objects.filter(
        open_stage,
        status=InvitationStatus.INVITED,
        reminded_at__isnull=True,
        invited_at__lte=now - REMIND_AFTER,
    ).values_list("pk", flat=True)
    reminded = 0
    for pk in list(due[:1000]):
        with transaction.atomic():
            claimed = Invitation.objects.filter(
                pk=pk, status=InvitationStatus.INVITED, reminded_at__isnull=True
            ).update(reminded_at=now)
            if claimed:
                invitation = Invitation.objects.select_related("intervention", "registration").get(
                    pk=pk
                )
                if invitation.registration.status == Status.APPROVED:
                    _sms(invitation, reminder=True)
                reminded += 1
    silent = Invitation.objects.filter(
        status=InvitationStatus.INVITED, reminded_at__lte=now - NO_ANSWER_AFTER
    ).update(status=InvitationStatus.NO_ANSWER)
    return reminded, silent


def summary(intervention: Intervention) -> dict[str, int]:
    """How many invitations have each answer, for the coordinator (one query)."""
    counts = dict(
        Invitation.objects.filter(intervention=intervention)
        .values_list("status")
        .annotate(n=models.Count("pk"))
        .values_list("status", "n")
    )
    return {status: counts.get(status, 0) for status in InvitationStatus.values}
