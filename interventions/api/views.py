"""The interventions API (read only): interventions, their stages, their named groups.

Built on the registration API's base view (JSON only, no session, answers in the client's
language, Persian errors with stable codes), like the problems API. What it answers is what
the public pages show (services.public): no person, mobile or registration id.
"""

import uuid

from django.core.paginator import Paginator
from django.utils.translation import gettext as _

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response

from registrations.api.schema import error_responses
from registrations.api.views import ApiError, RegistrationAPIView, error
from registrations.choices import Province

from ..choices import Stage
from ..services import public
from ..services.stages import time_in_stages


TAG = ["interventions"]
OBJECT = OpenApiTypes.OBJECT
PUBLIC_ID = OpenApiParameter(
    "public_id", OpenApiTypes.UUID, OpenApiParameter.PATH, description="The intervention's id"
)


def intervention_json(intervention, progress: int) -> dict:
    return {
        "id": str(intervention.public_id),
        "title": intervention.title,
        "aim": intervention.aim,
        "province": intervention.province,
        "city": intervention.city,
        "neighbourhood": intervention.neighbourhood,
        "start_date": intervention.start_date.isoformat(),
        "stage": intervention.stage,
        "progress": progress,
        "outcome": intervention.outcome or None,
    }


def _found(public_id: str):
    try:
        key = uuid.UUID(str(public_id))
    except ValueError:
        key = None
    context = public.detail_context(key) if key else None
    if context is None:
        raise ApiError(
            status.HTTP_404_NOT_FOUND,
            error(None, "not_found", _("No intervention has this id.")),
        )
    return context


class InterventionList(RegistrationAPIView):
    @extend_schema(
        operation_id="interventions_list",
        tags=TAG,
        summary="Interventions, newest first, with their stage and progress",
        responses={200: OBJECT, **error_responses("400")},
        parameters=[
            OpenApiParameter("province", str, enum=Province.values),
            OpenApiParameter("stage", str, enum=Stage.values),
            OpenApiParameter("page", int),
        ],
    )
    def get(self, request):
        query = request.query_params
        province, stage = query.get("province", ""), query.get("stage", "")
        errors = []
        if province and province not in Province.values:
            errors.append(error("province", "invalid_choice", _("Select a valid choice.")))
        if stage and stage not in Stage.values:
            errors.append(error("stage", "invalid_choice", _("Select a valid choice.")))
        if errors:
            raise ApiError(status.HTTP_400_BAD_REQUEST, *errors)
        try:
            page_number = max(1, min(int(query.get("page", 1)), 10_000))
        except ValueError:
            page_number = 1
        paginator = Paginator(
            public.public_interventions(province=province, stage=stage), public.PAGE_SIZE
        )
        page = paginator.get_page(page_number)
        return Response(
            {
                "count": paginator.count,
                "page": page.number,
                "pages": paginator.num_pages,
                "results": [intervention_json(i, public.percent(i)) for i in page.object_list],
            }
        )


class InterventionDetail(RegistrationAPIView):
    @extend_schema(
        operation_id="interventions_detail",
        tags=TAG,
        summary="One intervention: place, problems, stage, progress, activities, outcome",
        responses={200: OBJECT, **error_responses("404")},
        parameters=[PUBLIC_ID],
    )
    def get(self, request, public_id):
        context = _found(public_id)
        data = intervention_json(context["intervention"], context["progress"])
        data["problems"] = [
            {"number": r.number, "title": r.title, "status": r.status} for r in context["reports"]
        ]
        data["activities"] = [
            {
                "title": a.title,
                "objective": a.objective.title,
                "starts_on": a.starts_on.isoformat(),
                "ends_on": a.ends_on.isoformat(),
                "resources_needed": a.resources_needed,
                "done": a.done,
            }
            for a in context["activities"]
        ]
        evaluation = context["evaluation"]
        data["evaluation"] = (
            {
                "outcome": evaluation.outcome,
                "summary": evaluation.summary,
                "lessons": evaluation.lessons,
                "indicators": [
                    {
                        "name": row.name,
                        "unit": row.unit,
                        "before": str(row.before),
                        "after": None if row.after is None else str(row.after),
                    }
                    for row in context["indicators"]
                ],
            }
            if evaluation
            else None
        )
        return Response(data)


class InterventionStages(RegistrationAPIView):
    @extend_schema(
        operation_id="interventions_stages",
        tags=TAG,
        summary="The timeline of an intervention's stages and the days spent in each",
        responses={200: OBJECT, **error_responses("404")},
        parameters=[PUBLIC_ID],
    )
    def get(self, request, public_id):
        context = _found(public_id)
        changes = context["changes"]
        spent = time_in_stages(context["intervention"], changes=changes)
        return Response(
            {
                "stage": context["intervention"].stage,
                "order": Stage.values,
                "timeline": [
                    {
                        "kind": change.kind,
                        "from": change.from_stage or None,
                        "to": change.to_stage,
                        "at": change.at.isoformat(),
                    }
                    for change in changes
                ],
                "seconds_in_stage": {
                    stage: int(delta.total_seconds()) for stage, delta in spent.items()
                },
            }
        )


class InterventionParticipants(RegistrationAPIView):
    @extend_schema(
        operation_id="interventions_participants",
        tags=TAG,
        summary="The participating groups that agreed to be named, and what they offer",
        responses={200: OBJECT, **error_responses("404")},
        parameters=[PUBLIC_ID],
    )
    def get(self, request, public_id):
        context = _found(public_id)
        return Response(
            {
                "count": context["intervention"].participants.count(),
                "named": [
                    {
                        "name": p.registration.organisation_name,
                        "capacities_offered": p.capacities_offered,
                    }
                    for p in context["participants"]
                ],
            }
        )
