"""The forms that record each stage, shared by the back office and the facilitator's pages.

`ACTIONS` names each form, the stages it is offered in and the service call it makes, so
both faces post to one handler (`record`) and can never differ in what they accept.
"""

import datetime
import os

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.documents import get_document_model

from persian.filters import JalaliDateField
from problems.choices import ReportStatus
from problems.forms import PhotosField
from problems.models import Report
from registrations.choices import Capacity, Province, Status
from registrations.forms import PublicInputForm
from registrations.models import Registration

from .choices import Outcome, ParticipantKind, Stage
from .models import Activity, Need, Objective, Participant
from .services import records
from .services.rules import InterventionError


MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


class DayField(JalaliDateField):
    """A day typed in the Solar Hijri calendar (any digits) or as a Gregorian yyyy-mm-dd."""

    def to_python(self, value):
        day = super().to_python(value)
        if day is None:
            return None
        if day.year > 1700:  # a Gregorian year: 2026/12/04
            try:
                return datetime.date(day.year, day.month, day.day)
            except ValueError as error:
                raise forms.ValidationError(self.error_messages["invalid"]) from error
        return day.togregorian()

    def prepare_value(self, value):
        return value


class StageForm(PublicInputForm):
    """A form bound to one intervention (its groups, needs, objectives, activities)."""

    def __init__(self, *args, intervention, **kwargs):
        self.intervention = intervention
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                field.queryset = self.choices_for(field.queryset.model)

    def choices_for(self, model):
        if model is Participant:
            return Participant.objects.filter(intervention=self.intervention).select_related(
                "registration"
            )
        if model is Need:
            return Need.objects.filter(prioritisation__intervention=self.intervention)
        if model is Objective:
            return Objective.objects.filter(plan__intervention=self.intervention)
        if model is Activity:
            return Activity.objects.filter(objective__plan__intervention=self.intervention)
        return model.objects.none()


def _groups(**kwargs):
    return forms.ModelChoiceField(
        queryset=Participant.objects.none(), label=gettext_lazy("group"), **kwargs
    )


class FindingsForm(StageForm):
    findings = forms.CharField(
        label=gettext_lazy("findings"), max_length=8000, widget=forms.Textarea(attrs={"rows": 6})
    )

    def save(self, user):
        records.save_findings(self.intervention, findings=self.cleaned_data["findings"], user=user)


class ConsultationForm(StageForm):
    kind = forms.ChoiceField(
        label=gettext_lazy("kind of participant"), choices=ParticipantKind.choices
    )
    count = forms.CharField(label=gettext_lazy("number consulted"), max_length=9)
    participant = _groups(required=False)

    def save(self, user):
        records.add_consultation(self.intervention, user=user, **self.cleaned_data)


class AttachmentForm(StageForm):
    title = forms.CharField(label=gettext_lazy("title"), max_length=200)
    file = forms.FileField(label=gettext_lazy("file"))

    def clean_file(self):
        from django.conf import settings

        upload = self.cleaned_data["file"]
        extension = os.path.splitext(upload.name)[1].lower().lstrip(".")
        if extension not in settings.WAGTAILDOCS_EXTENSIONS:
            raise forms.ValidationError(
                _("Attach a file of one of these kinds: %(kinds)s")
                % {"kinds": ", ".join(settings.WAGTAILDOCS_EXTENSIONS)}
            )
        if upload.size > MAX_ATTACHMENT_BYTES:
            raise forms.ValidationError(_("Each attachment must be at most 10 MB."))
        return upload

    def save(self, user):
        document = get_document_model()(
            title=self.cleaned_data["title"],
            file=self.cleaned_data["file"],
            uploaded_by_user=user if user and user.is_staff else None,
        )
        document.save()
        records.attach_document(self.intervention, document=document, user=user)


class NeedForm(StageForm):
    title = forms.CharField(label=gettext_lazy("need"), max_length=200)
    description = forms.CharField(
        label=gettext_lazy("description"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def save(self, user):
        records.add_need(self.intervention, user=user, **self.cleaned_data)


class RanksForm(StageForm):
    """One rank per need (`need_<pk>`), as typed, in any digits."""

    ranks_required = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for need in self.choices_for(Need).order_by("pk"):
            self.fields[f"need_{need.pk}"] = forms.CharField(
                label=need.title, max_length=3, required=False
            )

    def ranks(self) -> dict:
        return {
            name.removeprefix("need_"): value
            for name, value in self.cleaned_data.items()
            if name.startswith("need_") and value
        }


class VoteForm(RanksForm):
    participant = _groups()

    def save(self, user):
        records.vote(
            self.intervention,
            participant=self.cleaned_data["participant"],
            ranks=_ascii(self.ranks()),
            user=user,
        )


class DecideForm(RanksForm):
    def save(self, user):
        records.decide(self.intervention, user=user, order=_ascii(self.ranks()) or None)


def _ascii(ranks: dict) -> dict:
    from persian.text import to_ascii_digits

    return {key: to_ascii_digits(value).strip() for key, value in ranks.items()}


class PlanForm(StageForm):
    summary = forms.CharField(
        label=gettext_lazy("summary"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def save(self, user):
        records.save_plan(self.intervention, summary=self.cleaned_data["summary"], user=user)


class ObjectiveForm(StageForm):
    title = forms.CharField(label=gettext_lazy("objective"), max_length=200)
    need = forms.ModelChoiceField(
        queryset=Need.objects.none(), label=gettext_lazy("need it answers"), required=False
    )

    def save(self, user):
        records.add_objective(self.intervention, user=user, **self.cleaned_data)


class ActivityForm(StageForm):
    objective = forms.ModelChoiceField(
        queryset=Objective.objects.none(), label=gettext_lazy("objective")
    )
    title = forms.CharField(label=gettext_lazy("activity"), max_length=200)
    responsible = forms.ModelChoiceField(
        queryset=Participant.objects.none(), label=gettext_lazy("responsible group"), required=False
    )
    starts_on = DayField(label=gettext_lazy("starts"))
    ends_on = DayField(label=gettext_lazy("ends"))
    resources_needed = forms.MultipleChoiceField(
        label=gettext_lazy("resources needed"),
        choices=Capacity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def save(self, user):
        data = dict(self.cleaned_data)
        records.add_activity(data.pop("objective"), user=user, **data)


class DoneForm(StageForm):
    activity = forms.ModelChoiceField(
        queryset=Activity.objects.none(), label=gettext_lazy("activity")
    )
    done = forms.BooleanField(label=gettext_lazy("done"), required=False)

    def save(self, user):
        records.set_done(self.cleaned_data["activity"], done=self.cleaned_data["done"], user=user)


class ProgressForm(StageForm):
    activity = forms.ModelChoiceField(
        queryset=Activity.objects.none(), label=gettext_lazy("activity")
    )
    text = forms.CharField(
        label=gettext_lazy("what happened"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    happened_on = DayField(label=gettext_lazy("date"))
    photos = PhotosField(label=gettext_lazy("photos"), required=False)

    def save(self, user, participant=None):
        data = dict(self.cleaned_data)
        records.add_progress(data.pop("activity"), user=user, participant=participant, **data)


class CommitmentForm(StageForm):
    participant = _groups()
    capacity = forms.ChoiceField(label=gettext_lazy("resource"), choices=Capacity.choices)
    description = forms.CharField(
        label=gettext_lazy("what and how much"), max_length=300, required=False
    )
    committed_on = DayField(label=gettext_lazy("date"))
    activity = forms.ModelChoiceField(
        queryset=Activity.objects.none(), label=gettext_lazy("activity"), required=False
    )

    def save(self, user):
        data = dict(self.cleaned_data)
        records.add_commitment(data.pop("participant"), user=user, **data)


class EvaluationForm(StageForm):
    outcome = forms.ChoiceField(label=gettext_lazy("outcome"), choices=Outcome.choices)
    summary = forms.CharField(
        label=gettext_lazy("summary"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    lessons = forms.CharField(
        label=gettext_lazy("lessons learnt"),
        max_length=4000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def save(self, user):
        records.save_evaluation(self.intervention, user=user, **self.cleaned_data)


class IndicatorForm(StageForm):
    name = forms.CharField(label=gettext_lazy("indicator"), max_length=200)
    unit = forms.CharField(label=gettext_lazy("unit"), max_length=50, required=False)
    before = forms.CharField(label=gettext_lazy("before"), max_length=20)
    after = forms.CharField(label=gettext_lazy("after"), max_length=20, required=False)

    def save(self, user):
        records.add_indicator(self.intervention, user=user, **self.cleaned_data)


# name: (form, stages it is offered in, the heading it is shown under)
ACTIONS = {
    "findings": (FindingsForm, (Stage.NEEDS_ASSESSMENT,), gettext_lazy("Findings")),
    "consultation": (
        ConsultationForm,
        (Stage.NEEDS_ASSESSMENT,),
        gettext_lazy("Who was consulted"),
    ),
    "attachment": (AttachmentForm, (Stage.NEEDS_ASSESSMENT,), gettext_lazy("Attach a document")),
    "need": (NeedForm, (Stage.PRIORITISATION,), gettext_lazy("Add a need")),
    "vote": (VoteForm, (Stage.PRIORITISATION,), gettext_lazy("A group's ranking of the needs")),
    "decide": (DecideForm, (Stage.PRIORITISATION,), gettext_lazy("Store the result")),
    "plan": (PlanForm, records.PLAN_STAGES, gettext_lazy("Plan summary")),
    "objective": (ObjectiveForm, records.PLAN_STAGES, gettext_lazy("Add an objective")),
    "activity": (ActivityForm, records.PLAN_STAGES, gettext_lazy("Add an activity")),
    "progress": (ProgressForm, (Stage.IMPLEMENTATION,), gettext_lazy("Progress update")),
    "done": (DoneForm, (Stage.IMPLEMENTATION,), gettext_lazy("Mark an activity done")),
    "commitment": (CommitmentForm, (Stage.IMPLEMENTATION,), gettext_lazy("Resources committed")),
    "evaluation": (EvaluationForm, (Stage.EVALUATION,), gettext_lazy("Outcome and lessons")),
    "indicator": (IndicatorForm, (Stage.EVALUATION,), gettext_lazy("Add an indicator")),
}


def forms_for(intervention) -> list[tuple[str, str, StageForm]]:
    """The forms offered in the intervention's current stage, unbound."""
    return [
        # Each form its own ids: one page holds several forms with an "activity" field.
        (name, heading, form_class(intervention=intervention, auto_id=f"id_{name}_%s"))
        for name, (form_class, form_stages, heading) in ACTIONS.items()
        if intervention.stage in form_stages
    ]


def too_large(request) -> bool:
    """A body larger than any stage form can need (refused before Django spools the files)."""
    from django.conf import settings

    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    photos = records.MAX_PHOTOS * settings.PROBLEM_PHOTO_MAX_BYTES
    return length > max(photos, MAX_ATTACHMENT_BYTES) + 64 * 1024


def record(intervention, name: str, data, files, *, user) -> tuple[bool, list[str]]:
    """Validate and save one stage form: (saved, the Persian errors to show)."""
    if name not in ACTIONS:
        return False, [_("Unknown form.")]
    form_class, form_stages, _heading = ACTIONS[name]
    if intervention.stage not in form_stages:
        return False, [_("This cannot be recorded in the current stage.")]
    form = form_class(data, files, intervention=intervention)
    if not form.is_valid():
        return False, [
            f"{form.fields[field].label}: {' '.join(errors)}"
            if field in form.fields
            else " ".join(errors)
            for field, errors in form.errors.items()
        ]
    try:
        form.save(user)
    except InterventionError as error:
        return False, [error.message]
    return True, []


# --- opening (back office only) ---------------------------------------------------------


class OpenForm(PublicInputForm):
    reports = forms.ModelMultipleChoiceField(
        label=gettext_lazy("problems addressed"),
        queryset=Report.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    title = forms.CharField(label=gettext_lazy("title"), max_length=150)
    aim = forms.CharField(
        label=gettext_lazy("aim"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    province = forms.ChoiceField(label=gettext_lazy("province"), choices=Province.choices)
    city = forms.CharField(label=gettext_lazy("county or city"), max_length=100)
    neighbourhood = forms.CharField(
        label=gettext_lazy("neighbourhood or village"), max_length=150, required=False
    )
    start_date = DayField(label=gettext_lazy("start date"))
    facilitator_registration = forms.CharField(
        label=gettext_lazy("registered facilitator's tracking code"), max_length=12, required=False
    )
    facilitator_user = forms.ModelChoiceField(
        label=gettext_lazy("or a staff member"),
        queryset=None,
        required=False,
    )

    def __init__(self, *args, **kwargs):
        from django.contrib.auth import get_user_model

        super().__init__(*args, **kwargs)
        self.fields["reports"].queryset = Report.objects.filter(
            status=ReportStatus.VERIFIED
        ).order_by("-verified_at", "-pk")
        self.fields["facilitator_user"].queryset = (
            get_user_model().objects.filter(is_staff=True, is_active=True).order_by("username")
        )

    def clean_facilitator_registration(self):
        from persian.text import to_ascii_digits

        code = to_ascii_digits(self.cleaned_data["facilitator_registration"]).strip()
        if not code:
            return None
        registration = Registration.objects.filter(tracking_code=code).first()
        if registration is None:
            raise forms.ValidationError(_("No registration has this tracking code."))
        return registration


class ParticipantForm(PublicInputForm):
    tracking_code = forms.CharField(label=gettext_lazy("the group's tracking code"), max_length=12)
    capacities = forms.MultipleChoiceField(
        label=gettext_lazy("capacities offered"),
        choices=Capacity.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    show_name = forms.BooleanField(
        label=gettext_lazy("the group's name may be shown"), required=False
    )

    def clean_tracking_code(self):
        from persian.text import to_ascii_digits

        code = to_ascii_digits(self.cleaned_data["tracking_code"]).strip()
        registration = Registration.objects.filter(
            tracking_code=code, status=Status.APPROVED
        ).first()
        if registration is None:
            raise forms.ValidationError(_("No approved group has this tracking code."))
        return registration


class ReopenForm(forms.Form):
    stage = forms.ChoiceField(label=gettext_lazy("stage"), choices=Stage.choices[:-1])
    reason = forms.CharField(
        label=gettext_lazy("reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


def saved_message() -> str:
    return _("Saved.")
