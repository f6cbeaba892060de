"""Opening an intervention and moving it through its stages, with each stage's entry rule.

Plain services rather than a state-machine library (docs/interventions.md): the entry rules
are queries over other tables, a reopening goes back several stages with a reason, and every
move must lock the row, write the log, the audit entry and the SMS in one transaction — which
is what problems' moderation already does the same way.
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from problems import services as problems
from problems.choices import ReportStatus
from problems.models import Report
from registrations.choices import Kind, Province, Status
from sms.outbox import queue_sms

from ..choices import STAGE_ORDER, ChangeKind, Outcome, Stage
from ..models import (
    Activity,
    Evaluation,
    Intervention,
    NeedsAssessment,
    Plan,
    Prioritisation,
    StageChange,
)
from ..purposes import STAGE_UPDATE
from .rules import ADVANCE, CLOSE, OPEN, REOPEN, InterventionError, is_coordinator


# The record each stage keeps, made when the intervention enters it.
STAGE_RECORDS = {
    Stage.NEEDS_ASSESSMENT: NeedsAssessment,
    Stage.PRIORITISATION: Prioritisation,
    Stage.PLANNING: Plan,
    Stage.EVALUATION: Evaluation,
}


def _check_facilitator(registration, user) -> None:
    if (registration is None) == (user is None):
        raise InterventionError(
            _("Choose one facilitator: a registered facilitator or a staff member.")
        )
    if registration is not None and (
        registration.kind != Kind.FACILITATOR or registration.status != Status.APPROVED
    ):
        raise InterventionError(
            _("The facilitator must be an approved registration of kind facilitator.")
        )
    if user is not None and not (user.is_active and user.is_staff):
        raise InterventionError(_("A staff facilitator must be an active staff member."))


def open_intervention(
    *,
    reports,
    title: str,
    aim: str,
    province: str,
    city: str,
    start_date,
    user,
    neighbourhood: str = "",
    facilitator_registration=None,
    facilitator_user=None,
) -> Intervention:
    """Open an intervention for verified reports of one province; their reporters hear of it."""
    title, aim, city = (title or "").strip(), (aim or "").strip(), (city or "").strip()
    if not (title and aim and city and start_date):
        raise InterventionError(_("Give a title, an aim, a city and a start date."))
    if province not in Province.values:
        raise InterventionError(_("Choose a province."))
    _check_facilitator(facilitator_registration, facilitator_user)
    report_ids = {report.pk for report in reports}
    if not report_ids:
        raise InterventionError(_("Choose at least one verified problem report."))
    with transaction.atomic():
        rows = list(Report.objects.select_for_update().filter(pk__in=report_ids).order_by("pk"))
        not_verified = [row.number for row in rows if row.status != ReportStatus.VERIFIED]
        if not_verified or len(rows) != len(report_ids):
            raise InterventionError(
                _("Only verified, open problem reports can be taken up: %(numbers)s")
                % {"numbers": "، ".join(not_verified)}
            )
        if any(row.province != province for row in rows):
            raise InterventionError(
                _("The problem reports must be in the intervention's province.")
            )
        now = timezone.now()
        intervention = Intervention.objects.create(
            title=title,
            aim=aim,
            province=province,
            city=city,
            neighbourhood=(neighbourhood or "").strip(),
            start_date=start_date,
            facilitator_registration=facilitator_registration,
            facilitator_user=facilitator_user,
            stage=Stage.NEEDS_ASSESSMENT,
            stage_entered_at=now,
            created_by=user,
        )
        intervention.reports.set(rows)
        NeedsAssessment.objects.create(intervention=intervention)
        StageChange.objects.create(
            intervention=intervention,
            kind=ChangeKind.OPEN,
            to_stage=Stage.NEEDS_ASSESSMENT,
            at=now,
            by=user,
        )
        log(
            instance=intervention,
            action=OPEN,
            user=user,
            data={"reports": [r.number for r in rows]},
        )
        for row in rows:
            problems.enter_intervention(row, user=user, intervention=title)
    return intervention


def _entry_rule(intervention: Intervention, stage: str) -> None:
    """Refuse entering `stage` until the record of the stage before it holds what it needs."""
    if stage == Stage.PRIORITISATION:
        assessment = NeedsAssessment.objects.filter(intervention=intervention).first()
        if assessment is None or not assessment.findings.strip():
            raise InterventionError(
                _("Record the findings of the needs assessment before prioritisation.")
            )
    elif stage == Stage.PLANNING:
        if not Prioritisation.objects.filter(
            intervention=intervention, decided_at__isnull=False
        ).exists():
            raise InterventionError(_("Store the result of the prioritisation before planning."))
    elif (
        stage == Stage.IMPLEMENTATION
        and not Activity.objects.filter(objective__plan__intervention=intervention).exists()
    ):
        raise InterventionError(_("Make a plan with at least one activity before implementation."))


def _lock(intervention: Intervention) -> Intervention:
    return Intervention.objects.select_for_update().get(pk=intervention.pk)


def _move(intervention, to_stage, *, kind, user, reason="", action, data=None) -> Intervention:
    now = timezone.now()
    from_stage = intervention.stage
    intervention.stage = to_stage
    intervention.stage_entered_at = now
    intervention.save(
        update_fields=["stage", "stage_entered_at", "outcome", "closed_at", "updated_at"]
    )
    StageChange.objects.create(
        intervention=intervention,
        kind=kind,
        from_stage=from_stage,
        to_stage=to_stage,
        reason=reason,
        at=now,
        by=user,
    )
    log(
        instance=intervention,
        action=action,
        user=user,
        data={"from": from_stage, "to": to_stage, "reason": reason, **(data or {})},
    )
    record = STAGE_RECORDS.get(to_stage)
    if record is not None:
        record.objects.get_or_create(intervention=intervention)
    notify_participants(intervention)
    return intervention


def advance(intervention: Intervention, *, user) -> Intervention:
    """Move to the next stage if its entry rule holds; the evaluation ends with close()."""
    with transaction.atomic():
        intervention = _lock(intervention)
        if intervention.stage == Stage.CLOSED:
            raise InterventionError(_("This intervention is closed."))
        if intervention.stage == Stage.EVALUATION:
            raise InterventionError(
                _("The evaluation is the last stage: close the intervention with its outcome.")
            )
        to_stage = STAGE_ORDER[STAGE_ORDER.index(intervention.stage) + 1]
        _entry_rule(intervention, to_stage)
        return _move(intervention, to_stage, kind=ChangeKind.ADVANCE, user=user, action=ADVANCE)


def close(intervention: Intervention, *, user) -> Intervention:
    """Close from the evaluation with its outcome: problems resolved, or open again."""
    with transaction.atomic():
        intervention = _lock(intervention)
        if intervention.stage != Stage.EVALUATION:
            raise InterventionError(_("An intervention is closed only from its evaluation."))
        evaluation = Evaluation.objects.filter(intervention=intervention).first()
        if evaluation is None or not evaluation.outcome:
            raise InterventionError(_("Record the outcome of the evaluation before closing."))
        intervention.outcome = evaluation.outcome
        intervention.closed_at = timezone.now()
        _move(
            intervention,
            Stage.CLOSED,
            kind=ChangeKind.CLOSE,
            user=user,
            action=CLOSE,
            data={"outcome": evaluation.outcome},
        )
        # Problems' own moves, so each reporter gets the status SMS and the public history.
        for report in intervention.reports.filter(status=ReportStatus.IN_INTERVENTION):
            if evaluation.outcome == Outcome.RESOLVED:
                problems.resolve(report, user=user)
            else:
                problems.leave_intervention(
                    report, user=user, reason=str(Outcome(evaluation.outcome).label)
                )
    return intervention


def reopen(intervention: Intervention, *, stage: str, user, reason: str) -> Intervention:
    """A coordinator takes an open intervention back to an earlier stage, saying why."""
    reason = (reason or "").strip()
    if not is_coordinator(user):
        raise InterventionError(_("Only an intervention coordinator can reopen a stage."))
    if not reason:
        raise InterventionError(_("Give a reason for reopening the stage."))
    with transaction.atomic():
        intervention = _lock(intervention)
        if intervention.stage == Stage.CLOSED:
            raise InterventionError(_("This intervention is closed."))
        if stage not in STAGE_ORDER or STAGE_ORDER.index(stage) >= intervention.stage_index:
            raise InterventionError(_("Only an earlier stage can be reopened."))
        return _move(
            intervention, stage, kind=ChangeKind.REOPEN, user=user, reason=reason, action=REOPEN
        )


# --- what the stage changes tell the participating groups -------------------------------


def public_url(intervention: Intervention, language: str = "fa") -> str:
    with translation.override(language):
        path = reverse("interventions:detail", kwargs={"public_id": intervention.public_id})
    return f"{settings.PUBLIC_BASE_URL}{path}"


def notify_participants(intervention: Intervention) -> None:
    """One SMS per participating group per stage change (the outbox suppresses opted-out ones)."""
    participants = intervention.participants.select_related("registration").exclude(
        registration__status=Status.WITHDRAWN
    )
    for participant in participants:
        registration = participant.registration
        with translation.override(registration.language):
            text = _("Intervention “%(title)s” is now in the %(stage)s stage: %(link)s") % {
                "title": intervention.title,
                "stage": Stage(intervention.stage).label,
                "link": public_url(intervention, registration.language),
            }
        queue_sms(
            recipient=registration.mobile,
            text=text,
            purpose=STAGE_UPDATE,
            subject=intervention,
        )


# --- figures ---------------------------------------------------------------------------


def progress(intervention: Intervention) -> int:
    """The share of the plan's activities done, in whole percent (0 with no plan)."""
    activities = Activity.objects.filter(objective__plan__intervention=intervention)
    total = activities.count()
    return (activities.filter(done=True).count() * 100) // total if total else 0


def time_in_stages(intervention: Intervention, *, changes=None, now=None) -> dict[str, timedelta]:
    """Time spent in each stage so far, summed over reopenings (closed counts no time)."""
    changes = list(changes if changes is not None else intervention.stage_changes.all())
    now = now or timezone.now()
    spent: dict[str, timedelta] = defaultdict(timedelta)
    for change, following in zip(changes, [*changes[1:], None], strict=True):
        if change.to_stage == Stage.CLOSED:
            continue
        spent[change.to_stage] += (following.at if following else now) - change.at
    return {stage: spent[stage] for stage in STAGE_ORDER if stage in spent}
