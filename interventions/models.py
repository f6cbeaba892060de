"""A community-based intervention: one programme, one place, five stages, each with its record.

Stage moves happen only in interventions.services (entry rules, audit, SMS); the constraints
here hold what a single row can hold whatever code writes it.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from registrations.choices import Capacity, Province

from .choices import STAGE_ORDER, ChangeKind, Outcome, ParticipantKind, Stage


def _check_capacities(values, field: str) -> None:
    if not isinstance(values, list) or set(values) - set(Capacity.values):
        raise ValidationError({field: _("Unknown capacity.")})


class Intervention(models.Model):
    """A definite programme towards a definite aim in one place, for verified problems."""

    wagtail_reference_index_ignore = True

    # In public addresses and the API: the primary key would let anyone count and walk them.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=150)
    aim = models.TextField(_("aim"), max_length=2000)
    reports = models.ManyToManyField(
        "problems.Report",
        verbose_name=_("problems addressed"),
        related_name="interventions",
    )
    province = models.CharField(_("province"), max_length=24, choices=Province.choices)
    city = models.CharField(_("county or city"), max_length=100)
    neighbourhood = models.CharField(_("neighbourhood or village"), max_length=150, blank=True)
    start_date = models.DateField(_("start date"))
    # The facilitator: an approved registration of kind facilitator, or a staff user; one only.
    facilitator_registration = models.ForeignKey(
        "registrations.Registration",
        verbose_name=_("facilitator (registered)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="facilitated_interventions",
    )
    facilitator_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("facilitator (staff)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="facilitated_interventions",
    )
    stage = models.CharField(
        _("stage"), max_length=20, choices=Stage.choices, default=Stage.NEEDS_ASSESSMENT
    )
    stage_entered_at = models.DateTimeField(_("in this stage since"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["-created_at", "-pk"]
        permissions = [("coordinate_intervention", _("Can open and move interventions"))]
        indexes = [
            models.Index(fields=["stage", "-created_at"], name="intervention_stage"),
            models.Index(fields=["province", "city"], name="intervention_place"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(facilitator_registration__isnull=False, facilitator_user__isnull=True)
                    | Q(facilitator_registration__isnull=True, facilitator_user__isnull=False)
                ),
                name="intervention_one_facilitator",
            ),
            models.CheckConstraint(
                condition=Q(stage__in=Stage.values), name="intervention_known_stage"
            ),
            # Closed exactly when there is an outcome and a closing time.
            models.CheckConstraint(
                condition=(
                    Q(stage=Stage.CLOSED, closed_at__isnull=False) & ~Q(outcome="")
                    | ~Q(stage=Stage.CLOSED) & Q(closed_at__isnull=True, outcome="")
                ),
                name="intervention_closed_has_outcome",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self) -> str:
        # In the active language: /interventions/… in Persian, /en/interventions/… in English.
        return reverse("interventions:detail", kwargs={"public_id": self.public_id})

    @property
    def is_closed(self) -> bool:
        return self.stage == Stage.CLOSED

    @property
    def stage_index(self) -> int:
        return STAGE_ORDER.index(self.stage)

    @property
    def facilitator_name(self) -> str:
        if self.facilitator_registration_id:
            registration = self.facilitator_registration
            return registration.representative_name or registration.organisation_name
        user = self.facilitator_user
        return (user.get_full_name() or user.get_username()) if user else ""


class Participant(models.Model):
    """A group taking part in an intervention (an accepted invitation, or added by staff)."""

    wagtail_reference_index_ignore = True

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="participants"
    )
    registration = models.ForeignKey(
        "registrations.Registration",
        verbose_name=_("group"),
        on_delete=models.CASCADE,
        related_name="intervention_participations",
    )
    capacities_offered = models.JSONField(_("capacities offered"), default=list, blank=True)
    show_name = models.BooleanField(_("the group's name may be shown"), default=False)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("participating group")
        verbose_name_plural = _("participating groups")
        ordering = ["joined_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "registration"], name="one_participation_per_group"
            )
        ]

    def __str__(self):
        return self.registration.organisation_name or str(self.registration_id)

    def clean(self):
        _check_capacities(self.capacities_offered, "capacities_offered")

    def capacity_labels(self) -> list[str]:
        return [str(Capacity(code).label) for code in self.capacities_offered]


class StageChange(models.Model):
    """Every move between stages: the audit trail and the time spent in each stage."""

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="stage_changes"
    )
    kind = models.CharField(max_length=10, choices=ChangeKind.choices)
    from_stage = models.CharField(max_length=20, choices=Stage.choices, blank=True)
    to_stage = models.CharField(max_length=20, choices=Stage.choices)
    reason = models.TextField(_("reason"), blank=True)
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["at", "pk"]
        constraints = [
            # A reopening goes back and says why (services check the same, in Persian).
            models.CheckConstraint(
                condition=~Q(kind=ChangeKind.REOPEN) | ~Q(reason=""),
                name="stage_reopen_has_reason",
            ),
        ]

    def __str__(self):
        return f"{self.intervention_id}: {self.from_stage or '-'} → {self.to_stage}"


# --- 1. needs assessment ---------------------------------------------------------------


class NeedsAssessment(models.Model):
    intervention = models.OneToOneField(
        Intervention, on_delete=models.CASCADE, related_name="needs_assessment"
    )
    findings = models.TextField(_("findings"), max_length=8000, blank=True)
    # Reports, minutes, survey sheets: Wagtail documents (served under its document rules).
    attachments = models.ManyToManyField(
        "wagtaildocs.Document", verbose_name=_("attachments"), blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("needs assessment")

    def __str__(self):
        return f"{self.intervention}: {self._meta.verbose_name}"


class Consultation(models.Model):
    """How many people of one kind were consulted, optionally through one participating group."""

    assessment = models.ForeignKey(
        NeedsAssessment, on_delete=models.CASCADE, related_name="consultations"
    )
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("through group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
    )
    kind = models.CharField(
        _("kind of participant"), max_length=20, choices=ParticipantKind.choices
    )
    count = models.PositiveIntegerField(_("number consulted"))

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(condition=Q(count__gt=0), name="consultation_count_positive"),
        ]

    def __str__(self):
        return f"{self.kind}: {self.count}"


# --- 2. prioritisation -----------------------------------------------------------------


class Prioritisation(models.Model):
    intervention = models.OneToOneField(
        Intervention, on_delete=models.CASCADE, related_name="prioritisation"
    )
    # Set when the ranks of the needs are computed and stored (services.prioritisation.decide).
    decided_at = models.DateTimeField(_("result stored"), null=True, blank=True)
    notes = models.TextField(_("notes"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("prioritisation")

    def __str__(self):
        return f"{self.intervention}: {self._meta.verbose_name}"


class Need(models.Model):
    prioritisation = models.ForeignKey(
        Prioritisation, on_delete=models.CASCADE, related_name="needs"
    )
    title = models.CharField(_("need"), max_length=200)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    # The stored result: 1 is the first priority; empty until decided.
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    score = models.PositiveIntegerField(_("score"), default=0)

    class Meta:
        ordering = [F("rank").asc(nulls_last=True), "pk"]
        constraints = [
            models.UniqueConstraint(fields=["prioritisation", "rank"], name="one_need_per_rank"),
            models.CheckConstraint(condition=Q(rank__gt=0) | Q(rank=None), name="need_rank_1_up"),
        ]

    def __str__(self):
        return self.title


class NeedVote(models.Model):
    """A participating group's rank for one need (1 = most important to that group)."""

    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    rank = models.PositiveSmallIntegerField(_("rank"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["need", "participant"], name="one_vote_per_need"),
            models.CheckConstraint(condition=Q(rank__gt=0), name="vote_rank_1_up"),
        ]

    def __str__(self):
        return f"{self.need_id} ← {self.participant_id}: {self.rank}"


# --- 3. planning -----------------------------------------------------------------------


class Plan(models.Model):
    intervention = models.OneToOneField(Intervention, on_delete=models.CASCADE, related_name="plan")
    summary = models.TextField(_("summary"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("plan")

    def __str__(self):
        return f"{self.intervention}: {self._meta.verbose_name}"


class Objective(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(_("objective"), max_length=200)
    need = models.ForeignKey(
        Need,
        verbose_name=_("need it answers"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="objectives",
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("objective")

    def __str__(self):
        return self.title


class Activity(models.Model):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="activities")
    title = models.CharField(_("activity"), max_length=200)
    responsible = models.ForeignKey(
        Participant,
        verbose_name=_("responsible group"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    # The registrations' capacity vocabulary, so matching can look for what is still needed.
    resources_needed = models.JSONField(_("resources needed"), default=list, blank=True)
    done = models.BooleanField(_("done"), default=False)
    done_at = models.DateTimeField(_("done on"), null=True, blank=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="activity_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(done=True, done_at__isnull=False) | Q(done=False, done_at=None),
                name="activity_done_has_time",
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        _check_capacities(self.resources_needed, "resources_needed")
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("An activity cannot end before it starts.")})

    def resource_labels(self) -> list[str]:
        return [str(Capacity(code).label) for code in self.resources_needed]


# --- 4. implementation -----------------------------------------------------------------


class ProgressUpdate(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField(_("what happened"), max_length=4000)
    happened_on = models.DateField(_("date"))
    # Who wrote it: a staff user, or a participating group (through its account).
    by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    by_participant = models.ForeignKey(
        Participant, null=True, blank=True, on_delete=models.SET_NULL, related_name="updates"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-happened_on", "-pk"]
        verbose_name = _("progress update")

    def __str__(self):
        return f"{self.activity}: {self.happened_on}"


def progress_photo_path(photo, filename):
    # A random name: the uploader's file name may carry a name or a place.
    return f"interventions/{uuid.uuid4().hex}.jpg"


class ProgressPhoto(models.Model):
    """A photo of an update, re-encoded with no metadata (problems.services.photos.strip)."""

    wagtail_reference_index_ignore = True

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(
        _("photo"), upload_to=progress_photo_path, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"{self.update_id} #{self.pk}"


class Commitment(models.Model):
    """A resource a participating group actually committed (the capacity vocabulary)."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="commitments"
    )
    activity = models.ForeignKey(
        Activity, null=True, blank=True, on_delete=models.SET_NULL, related_name="commitments"
    )
    capacity = models.CharField(_("resource"), max_length=20, choices=Capacity.choices)
    description = models.CharField(_("what and how much"), max_length=300, blank=True)
    committed_on = models.DateField(_("date"))

    class Meta:
        ordering = ["committed_on", "pk"]
        verbose_name = _("commitment")

    def __str__(self):
        return f"{self.participant_id}: {self.capacity}"


# --- 5. evaluation ---------------------------------------------------------------------


class Evaluation(models.Model):
    intervention = models.OneToOneField(
        Intervention, on_delete=models.CASCADE, related_name="evaluation"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    summary = models.TextField(_("summary"), max_length=4000, blank=True)
    lessons = models.TextField(_("lessons learnt"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("evaluation")

    def __str__(self):
        return f"{self.intervention}: {self._meta.verbose_name}"


class Indicator(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="indicators")
    name = models.CharField(_("indicator"), max_length=200)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    before = models.DecimalField(_("before"), max_digits=12, decimal_places=2)
    after = models.DecimalField(_("after"), max_digits=12, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("indicator")

    def __str__(self):
        return self.name


# Invitations of groups (issue 18 matching): the model lives beside its services.
from .invitation_models import Invitation  # noqa: E402, F401
