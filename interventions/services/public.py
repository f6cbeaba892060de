"""What the public sees of interventions: aim, place, problems, stage, progress, the groups
that agreed to be named, the timeline, the outcome once closed. No person, mobile or id of
a registration is ever loaded for it."""

from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q

from problems.choices import PUBLIC_STATUSES
from problems.models import Report
from registrations.choices import Province

from ..choices import Stage
from ..models import Activity, Indicator, Intervention, Participant, StageChange
from .stages import time_in_stages


PAGE_SIZE = 20


def _with_progress(queryset):
    return queryset.annotate(
        activity_count=Count("plan__objectives__activities", distinct=True),
        done_count=Count(
            "plan__objectives__activities",
            filter=Q(plan__objectives__activities__done=True),
            distinct=True,
        ),
    )


def percent(intervention) -> int:
    total = intervention.activity_count
    return (intervention.done_count * 100) // total if total else 0


def public_interventions(*, stage: str = "", province: str = ""):
    interventions = Intervention.objects.all()
    if stage in Stage.values:
        interventions = interventions.filter(stage=stage)
    if province in Province.values:
        interventions = interventions.filter(province=province)
    return _with_progress(
        interventions.only(
            "public_id",
            "title",
            "aim",
            "province",
            "city",
            "neighbourhood",
            "stage",
            "start_date",
            "outcome",
            "created_at",
        )
    ).order_by("-created_at", "-pk")


def list_context(request) -> dict:
    stage, province = request.GET.get("stage", ""), request.GET.get("province", "")
    page = Paginator(public_interventions(stage=stage, province=province), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for intervention in page:
        intervention.progress = percent(intervention)
    return {
        "page": page,
        "stage": stage if stage in Stage.values else "",
        "province": province if province in Province.values else "",
        "stages": Stage.choices,
        "provinces": Province.choices,
    }


def public_intervention(public_id) -> Intervention | None:
    return (
        _with_progress(Intervention.objects.filter(public_id=public_id))
        .defer("created_by", "facilitator_registration", "facilitator_user")
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=Report.objects.filter(status__in=PUBLIC_STATUSES)
                .only("pk", "number", "title", "status", "city")
                .order_by("number"),
            ),
            Prefetch(
                "participants",
                queryset=Participant.objects.filter(show_name=True)
                .select_related("registration")
                .only(
                    "pk",
                    "intervention",
                    "show_name",
                    "capacities_offered",
                    "registration__organisation_name",
                ),
                to_attr="named_participants",
            ),
            Prefetch(
                "stage_changes",
                queryset=StageChange.objects.only(
                    "pk", "intervention", "kind", "from_stage", "to_stage", "at"
                ),
            ),
        )
        .first()
    )


def detail_context(public_id) -> dict | None:
    intervention = public_intervention(public_id)
    if intervention is None:
        return None
    changes = list(intervention.stage_changes.all())
    activities = list(
        Activity.objects.filter(objective__plan__intervention=intervention)
        .select_related("objective")
        .only("pk", "title", "starts_on", "ends_on", "done", "resources_needed", "objective__title")
    )
    indicators = []
    evaluation = None
    if intervention.is_closed:
        evaluation = getattr(intervention, "evaluation", None)
        indicators = list(Indicator.objects.filter(evaluation__intervention=intervention))
    return {
        "intervention": intervention,
        "progress": percent(intervention),
        "reports": list(intervention.reports.all()),
        "participants": intervention.named_participants,
        "changes": changes,
        "time_in_stages": [
            (Stage(stage).label, spent)
            for stage, spent in time_in_stages(intervention, changes=changes).items()
        ],
        "activities": activities,
        "evaluation": evaluation,
        "indicators": indicators,
        "stages": Stage.choices,
    }
