"""What each stage records: findings, needs and votes, the plan, progress, the evaluation.

Each call checks the intervention is in a stage that records this, under a row lock (so a
stage move cannot slip in between), validates everything before writing anything, and
leaves an audit entry.
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.log_actions import log

from persian.text import to_ascii_digits
from problems.services import photos as photo_service
from registrations.choices import Capacity, Status

from ..choices import Outcome, ParticipantKind, Stage
from ..models import (
    Activity,
    Commitment,
    Consultation,
    Evaluation,
    Indicator,
    Intervention,
    Need,
    NeedsAssessment,
    NeedVote,
    Objective,
    Participant,
    Plan,
    Prioritisation,
    ProgressPhoto,
    ProgressUpdate,
)
from .rules import RECORD, InterventionError, require_stage


MAX_PHOTOS = 5
# The plan can still change while it is carried out (an activity added, a group swapped).
PLAN_STAGES = (Stage.PLANNING, Stage.IMPLEMENTATION)


def _locked(intervention: Intervention, *stages: str) -> Intervention:
    intervention = Intervention.objects.select_for_update().get(pk=intervention.pk)
    require_stage(intervention, *stages)
    return intervention


def _audit(intervention, user, what: str, **data) -> None:
    log(instance=intervention, action=RECORD, user=user, data={"what": what, **data})


def _text(value, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise InterventionError(message)
    return value


def _capacities(values) -> list[str]:
    values = list(dict.fromkeys(values or []))
    if set(values) - set(Capacity.values):
        raise InterventionError(_("Unknown capacity."))
    return values


def _own_participant(intervention, participant) -> Participant | None:
    if participant is None:
        return None
    if participant.intervention_id != intervention.pk:
        raise InterventionError(_("That group does not take part in this intervention."))
    return participant


# --- participants ----------------------------------------------------------------------


def add_participant(
    intervention: Intervention, *, registration, capacities=(), show_name=False, user=None
) -> Participant:
    """An approved group joins (from an accepted invitation, or added by a coordinator)."""
    capacities = _capacities(capacities)
    if registration.status != Status.APPROVED:
        raise InterventionError(_("Only approved groups can take part."))
    with transaction.atomic():
        intervention = Intervention.objects.select_for_update().get(pk=intervention.pk)
        if intervention.is_closed:
            raise InterventionError(_("This intervention is closed."))
        participant, created = Participant.objects.get_or_create(
            intervention=intervention,
            registration=registration,
            defaults={"capacities_offered": capacities, "show_name": bool(show_name)},
        )
        if not created:
            raise InterventionError(_("This group already takes part."))
        _audit(intervention, user, "participant", group=registration.tracking_code)
    return participant


# --- 1. needs assessment ---------------------------------------------------------------


def save_findings(intervention: Intervention, *, findings: str, user=None) -> NeedsAssessment:
    with transaction.atomic():
        intervention = _locked(intervention, Stage.NEEDS_ASSESSMENT)
        assessment, _created = NeedsAssessment.objects.get_or_create(intervention=intervention)
        assessment.findings = (findings or "").strip()
        assessment.save()
        _audit(intervention, user, "findings")
    return assessment


def add_consultation(
    intervention: Intervention, *, kind: str, count, participant=None, user=None
) -> Consultation:
    if kind not in ParticipantKind.values:
        raise InterventionError(_("Choose who was consulted."))
    try:
        count = int(to_ascii_digits(str(count)))
    except (TypeError, ValueError):
        count = 0
    if count < 1:
        raise InterventionError(_("The number consulted must be a whole number above zero."))
    with transaction.atomic():
        intervention = _locked(intervention, Stage.NEEDS_ASSESSMENT)
        participant = _own_participant(intervention, participant)
        row = Consultation.objects.create(
            assessment=intervention.needs_assessment,
            participant=participant,
            kind=kind,
            count=count,
        )
        _audit(intervention, user, "consultation", kind=kind, count=count)
    return row


def attach_document(intervention: Intervention, *, document, user=None) -> None:
    with transaction.atomic():
        intervention = _locked(intervention, Stage.NEEDS_ASSESSMENT)
        intervention.needs_assessment.attachments.add(document)
        _audit(intervention, user, "attachment", document=document.pk)


# --- 2. prioritisation -----------------------------------------------------------------


def add_need(intervention: Intervention, *, title: str, description: str = "", user=None) -> Need:
    title = _text(title, _("Name the need."))
    with transaction.atomic():
        intervention = _locked(intervention, Stage.PRIORITISATION)
        prioritisation, _created = Prioritisation.objects.get_or_create(intervention=intervention)
        need = Need.objects.create(
            prioritisation=prioritisation, title=title, description=(description or "").strip()
        )
        _audit(intervention, user, "need", title=title)
    return need


def _check_ranks(needs: dict, ranks: dict) -> dict[int, int]:
    """{need id: rank}: known needs, distinct ranks from 1 up to the number of needs."""
    try:
        ranks = {int(need): int(rank) for need, rank in ranks.items()}
    except (TypeError, ValueError) as error:
        raise InterventionError(_("Ranks are whole numbers.")) from error
    if not ranks or set(ranks) - set(needs):
        raise InterventionError(_("Rank the needs of this intervention."))
    values = list(ranks.values())
    if len(set(values)) != len(values) or min(values) < 1 or max(values) > len(needs):
        raise InterventionError(
            _("Give each need a different rank from 1 to %(count)s.") % {"count": len(needs)}
        )
    return ranks


def vote(intervention: Intervention, *, participant, ranks: dict, user=None) -> None:
    """A participating group's ranking of the needs (it replaces the group's earlier one)."""
    with transaction.atomic():
        intervention = _locked(intervention, Stage.PRIORITISATION)
        participant = _own_participant(intervention, participant)
        if participant is None:
            raise InterventionError(_("That group does not take part in this intervention."))
        needs = {
            need.pk: need for need in Need.objects.filter(prioritisation__intervention=intervention)
        }
        ranks = _check_ranks(needs, ranks)
        NeedVote.objects.filter(participant=participant).delete()
        NeedVote.objects.bulk_create(
            NeedVote(need=needs[need], participant=participant, rank=rank)
            for need, rank in ranks.items()
        )
        _audit(intervention, user, "vote", group=participant.registration.tracking_code)


def decide(intervention: Intervention, *, user=None, order=None) -> list[Need]:
    """Store the ranked needs: a Borda count of the groups' votes (a need ranked r of n earns
    n + 1 - r points), or, when no group voted, the order the facilitator gives."""
    with transaction.atomic():
        intervention = _locked(intervention, Stage.PRIORITISATION)
        prioritisation, _created = Prioritisation.objects.get_or_create(intervention=intervention)
        needs = list(prioritisation.needs.order_by("pk"))
        if not needs:
            raise InterventionError(_("Add at least one need first."))
        count = len(needs)
        votes = list(NeedVote.objects.filter(need__in=needs))
        if votes:
            scores = {need.pk: 0 for need in needs}
            for row in votes:
                scores[row.need_id] += count + 1 - row.rank
            ranked = sorted(needs, key=lambda need: (-scores[need.pk], need.pk))
        elif order:
            ranks = _check_ranks({need.pk: need for need in needs}, order)
            if len(ranks) != count:
                raise InterventionError(_("Rank every need."))
            scores = {pk: count + 1 - rank for pk, rank in ranks.items()}
            ranked = sorted(needs, key=lambda need: ranks[need.pk])
        else:
            raise InterventionError(_("Collect the groups' votes or rank the needs yourself."))
        # Clear first: one need per rank is a unique constraint checked row by row.
        Need.objects.filter(prioritisation=prioritisation).update(rank=None)
        for position, need in enumerate(ranked, start=1):
            need.rank, need.score = position, scores[need.pk]
            need.save(update_fields=["rank", "score"])
        prioritisation.decided_at = timezone.now()
        prioritisation.save(update_fields=["decided_at"])
        _audit(intervention, user, "prioritisation", votes=len(votes))
    return ranked


# --- 3. planning -----------------------------------------------------------------------


def save_plan(intervention: Intervention, *, summary: str, user=None) -> Plan:
    with transaction.atomic():
        intervention = _locked(intervention, *PLAN_STAGES)
        plan, _created = Plan.objects.get_or_create(intervention=intervention)
        plan.summary = (summary or "").strip()
        plan.save()
        _audit(intervention, user, "plan")
    return plan


def add_objective(intervention: Intervention, *, title: str, need=None, user=None) -> Objective:
    title = _text(title, _("Name the objective."))
    with transaction.atomic():
        intervention = _locked(intervention, *PLAN_STAGES)
        if need is not None and need.prioritisation.intervention_id != intervention.pk:
            raise InterventionError(_("That need belongs to another intervention."))
        plan, _created = Plan.objects.get_or_create(intervention=intervention)
        objective = Objective.objects.create(plan=plan, title=title, need=need)
        _audit(intervention, user, "objective", title=title)
    return objective


def add_activity(
    objective: Objective,
    *,
    title: str,
    starts_on,
    ends_on,
    responsible=None,
    resources_needed=(),
    user=None,
) -> Activity:
    title = _text(title, _("Name the activity."))
    resources_needed = _capacities(resources_needed)
    if not (starts_on and ends_on):
        raise InterventionError(_("Give the activity's start and end dates."))
    if ends_on < starts_on:
        raise InterventionError(_("An activity cannot end before it starts."))
    with transaction.atomic():
        intervention = _locked(objective.plan.intervention, *PLAN_STAGES)
        responsible = _own_participant(intervention, responsible)
        activity = Activity.objects.create(
            objective=objective,
            title=title,
            starts_on=starts_on,
            ends_on=ends_on,
            responsible=responsible,
            resources_needed=resources_needed,
        )
        _audit(intervention, user, "activity", title=title)
    return activity


# --- 4. implementation -----------------------------------------------------------------


def _activity_intervention(activity: Activity) -> Intervention:
    return Intervention.objects.get(plan__objectives__activities=activity)


def set_done(activity: Activity, *, done: bool, user=None) -> Activity:
    with transaction.atomic():
        intervention = _locked(_activity_intervention(activity), Stage.IMPLEMENTATION)
        activity = Activity.objects.select_for_update().get(pk=activity.pk)
        activity.done = bool(done)
        activity.done_at = timezone.now() if activity.done else None
        activity.save(update_fields=["done", "done_at"])
        _audit(intervention, user, "done" if done else "not done", activity=activity.title)
    return activity


def add_progress(
    activity: Activity, *, text: str, happened_on, photos=(), user=None, participant=None
) -> ProgressUpdate:
    """A dated update of one activity, with photos re-encoded without metadata."""
    text = _text(text, _("Write what happened."))
    if not happened_on:
        raise InterventionError(_("Give the date it happened."))
    if happened_on > timezone.localdate():
        raise InterventionError(_("An update cannot be dated in the future."))
    photos = list(photos or [])
    if len(photos) > MAX_PHOTOS:
        raise InterventionError(_("At most %(count)s photos.") % {"count": MAX_PHOTOS})
    try:
        for upload in photos:
            photo_service.check(upload)
    except ValidationError as error:
        raise InterventionError(" ".join(error.messages)) from error
    with transaction.atomic():
        intervention = _locked(_activity_intervention(activity), Stage.IMPLEMENTATION)
        participant = _own_participant(intervention, participant)
        update = ProgressUpdate.objects.create(
            activity=activity,
            text=text,
            happened_on=happened_on,
            by_user=user,
            by_participant=participant,
        )
        for upload in photos:
            ProgressPhoto.objects.create(update=update, image=photo_service.strip(upload))
        _audit(intervention, user, "progress", activity=activity.title)
    return update


def add_commitment(
    participant: Participant,
    *,
    capacity: str,
    committed_on,
    description: str = "",
    activity=None,
    user=None,
) -> Commitment:
    if capacity not in Capacity.values:
        raise InterventionError(_("Unknown capacity."))
    if not committed_on:
        raise InterventionError(_("Give the date it was committed."))
    with transaction.atomic():
        intervention = _locked(participant.intervention, Stage.IMPLEMENTATION)
        if activity is not None and _activity_intervention(activity).pk != intervention.pk:
            raise InterventionError(_("That activity belongs to another intervention."))
        row = Commitment.objects.create(
            participant=participant,
            activity=activity,
            capacity=capacity,
            description=(description or "").strip(),
            committed_on=committed_on,
        )
        _audit(intervention, user, "commitment", capacity=capacity)
    return row


# --- 5. evaluation ---------------------------------------------------------------------


def save_evaluation(
    intervention: Intervention, *, outcome: str, summary: str = "", lessons: str = "", user=None
) -> Evaluation:
    if outcome and outcome not in Outcome.values:
        raise InterventionError(_("Choose an outcome."))
    with transaction.atomic():
        intervention = _locked(intervention, Stage.EVALUATION)
        evaluation, _created = Evaluation.objects.get_or_create(intervention=intervention)
        evaluation.outcome = outcome or ""
        evaluation.summary = (summary or "").strip()
        evaluation.lessons = (lessons or "").strip()
        evaluation.save()
        _audit(intervention, user, "evaluation", outcome=outcome)
    return evaluation


def _decimal(value, *, required: bool):
    if value in (None, "") and not required:
        return None
    try:
        # Persian (۱۲٫۵) and Arabic digits are as good as ASCII ones.
        number = Decimal(to_ascii_digits(str(value)).replace("٫", ".").replace("/", "."))
    except (InvalidOperation, ValueError) as error:
        raise InterventionError(_("Indicator values are numbers.")) from error
    if not number.is_finite() or abs(number) >= Decimal("1e10"):
        raise InterventionError(_("Indicator values are numbers."))
    return number.quantize(Decimal("0.01"))


def add_indicator(
    intervention: Intervention, *, name: str, before, after=None, unit: str = "", user=None
) -> Indicator:
    name = _text(name, _("Name the indicator."))
    before, after = _decimal(before, required=True), _decimal(after, required=False)
    with transaction.atomic():
        intervention = _locked(intervention, Stage.EVALUATION)
        evaluation, _created = Evaluation.objects.get_or_create(intervention=intervention)
        row = Indicator.objects.create(
            evaluation=evaluation, name=name, unit=(unit or "").strip(), before=before, after=after
        )
        _audit(intervention, user, "indicator", name=name)
    return row
