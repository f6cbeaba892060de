"""The matching API for staff tools: ranked candidate groups for a problem set or an
intervention. Staff API tokens only (Wagtail's API tokens, `Authorization: Bearer …`, of an
intervention coordinator); no session, so a signed-in browser cannot call it by accident.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail.models import APIToken

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.response import Response

from registrations.api.schema import ErrorSerializer
from registrations.api.views import ApiError, RegistrationAPIView, error
from registrations.choices import Capacity, Province

from . import matching
from .models import Intervention
from .services.rules import is_coordinator


TAG = ["matching"]
PLACES = {
    matching.SAME_CITY: "same_city",
    matching.SAME_PROVINCE: "same_province",
    matching.NEIGHBOURING_PROVINCE: "neighbouring_province",
}


class StaffTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != b"bearer":
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("The API token is not valid."))
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("The API token is not valid.")) from None
        row = (
            APIToken.objects.select_related("user")
            .filter(key_hash__in=APIToken.candidate_key_hashes(token), revoked_at__isnull=True)
            .first()
        )
        if row is None or not row.user.is_active:
            raise exceptions.AuthenticationFailed(_("The API token is not valid."))
        return row.user, row

    def authenticate_header(self, request):
        return 'Bearer realm="api"'  # so a missing token answers 401, not 403


class StaffTokenScheme(OpenApiAuthenticationExtension):
    target_class = StaffTokenAuthentication
    name = "staffToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A staff API token (admin: Settings → API tokens) of an "
            "intervention coordinator.",
        }


class IsCoordinator(BasePermission):
    message = gettext_lazy("Only intervention coordinators may use the matching API.")

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and is_coordinator(user))


class CandidateSerializer(serializers.Serializer):
    registration = serializers.UUIDField(help_text="The group's public id.")
    name = serializers.CharField()
    kind = serializers.CharField()
    province = serializers.ChoiceField(choices=Province.choices)
    city = serializers.CharField()
    place = serializers.ChoiceField(choices=[(v, v) for v in PLACES.values()])
    score = serializers.IntegerField(min_value=0)
    reason = serializers.CharField(help_text="Why, in the language asked for.")
    fields_matched = serializers.ListField(child=serializers.CharField())
    needed_capacities_offered = serializers.ListField(child=serializers.CharField())
    capacities_offered = serializers.ListField(child=serializers.CharField())


class CandidateListSerializer(serializers.Serializer):
    results = CandidateSerializer(many=True)


def _json(candidate: matching.Candidate) -> dict:
    registration = candidate.registration
    return {
        "registration": str(registration.public_id),
        "name": registration.display_name,
        "kind": registration.kind,
        "province": registration.province,
        "city": registration.city,
        "place": PLACES[candidate.place],
        "score": candidate.score,
        "reason": candidate.reason,
        "fields_matched": list(candidate.fields_matched),
        "needed_capacities_offered": list(candidate.needed_offered),
        "capacities_offered": list(candidate.capacities_offered),
    }


ERRORS = {
    400: ErrorSerializer,
    401: ErrorSerializer,
    403: ErrorSerializer,
}
LIMIT = OpenApiParameter(
    "limit", OpenApiTypes.INT, description="At most this many (1–200, default 50)."
)


class StaffAPIView(RegistrationAPIView):
    authentication_classes = [StaffTokenAuthentication]
    permission_classes = [IsCoordinator]

    def limit_param(self) -> int:
        raw = self.request.query_params.get("limit", "50")
        try:
            return max(1, min(int(raw), matching.MAX_LIMIT))
        except ValueError:
            raise ApiError(
                status.HTTP_400_BAD_REQUEST, error("limit", "invalid", _("Enter a whole number."))
            ) from None

    def answer(self, call) -> Response:
        try:
            results = call()
        except ValidationError as refusal:
            raise ApiError(
                status.HTTP_400_BAD_REQUEST,
                *(error(None, refusal.code or "invalid", m) for m in refusal.messages),
            ) from None
        return Response({"results": [_json(c) for c in results]})


class Candidates(StaffAPIView):
    @extend_schema(
        operation_id="matching_candidates",
        tags=TAG,
        summary="Candidate groups for problems in a place",
        parameters=[
            OpenApiParameter(
                "problem", OpenApiTypes.INT, many=True, required=True,
                description="Problem ids of the taxonomy (/api/problems/taxonomy/).",
            ),
            OpenApiParameter("province", OpenApiTypes.STR, required=True, enum=Province.values),
            OpenApiParameter("city", OpenApiTypes.STR),
            OpenApiParameter(
                "needs", OpenApiTypes.STR, many=True, enum=Capacity.values,
                description="Capacities the plan still needs.",
            ),
            LIMIT,
        ],
        responses={200: CandidateListSerializer, **ERRORS},
    )  # fmt: skip
    def get(self, request):
        problems = request.query_params.getlist("problem")
        if not problems or not all(p.isdigit() and len(p) < 10 for p in problems):
            raise ApiError(
                status.HTTP_400_BAD_REQUEST, error("problem", "problem", _("Unknown problem."))
            )
        limit = self.limit_param()
        return self.answer(
            lambda: matching.candidates(
                [int(p) for p in problems],
                request.query_params.get("province", ""),
                request.query_params.get("city", "")[:100],
                needed_capacities=request.query_params.getlist("needs"),
                limit=limit,
            )
        )


class InterventionCandidates(StaffAPIView):
    @extend_schema(
        operation_id="matching_intervention_candidates",
        tags=TAG,
        summary="Candidate groups for an intervention (not yet invited or taking part)",
        parameters=[LIMIT],
        responses={200: CandidateListSerializer, **ERRORS, 404: ErrorSerializer},
    )
    def get(self, request, public_id):
        limit = self.limit_param()
        intervention = Intervention.objects.filter(public_id=public_id).first()
        if intervention is None:
            raise ApiError(
                status.HTTP_404_NOT_FOUND, error(None, "not_found", _("No such intervention."))
            )
        return self.answer(lambda: matching.for_intervention(intervention, limit=limit))
