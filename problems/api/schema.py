"""The problems API's request shapes in the OpenAPI schema (the forms stay the validators)."""

from django.conf import settings

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from registrations.api.schema import ErrorSerializer
from registrations.choices import Province

from ..choices import PeopleAffected, Since


def _token():
    return serializers.CharField(
        required=False,
        help_text=(
            "From `POST /api/problems/codes/{check_id}/confirm/`: the verified mobile. "
            "Not needed when signed in as a group (the account API's Bearer token or session)."
        ),
    )


def _registration(help_text: str):
    return serializers.CharField(required=False, max_length=32, help_text=help_text)


def _report_fields() -> dict:
    return {
        "token": _token(),
        "registration": _registration(
            "Signed-in groups only: the tracking code of the group's registration to report "
            "for; needed when the group has several (else the only one)."
        ),
        "problem": serializers.IntegerField(help_text="A problem's `id` from the taxonomy."),
        "title": serializers.CharField(max_length=150),
        "description": serializers.CharField(max_length=4000),
        "province": serializers.ChoiceField(choices=Province.choices),
        "city": serializers.CharField(max_length=100),
        "neighbourhood": serializers.CharField(max_length=150, required=False, allow_blank=True),
        "people_affected": serializers.ChoiceField(choices=PeopleAffected.choices),
        "since": serializers.ChoiceField(choices=Since.choices),
        "tried": serializers.CharField(max_length=2000, required=False, allow_blank=True),
        "may_contact": serializers.BooleanField(required=False),
        "show_group_name": serializers.BooleanField(
            required=False, help_text="Signed-in groups only: show the group's name publicly."
        ),
        "send_anyway": serializers.BooleanField(
            required=False, help_text="Send although likely duplicates exist (after a 409)."
        ),
    }


ReportRequestSerializer = type("ProblemReportRequest", (serializers.Serializer,), _report_fields())
ReportMultipartSerializer = type(
    "ProblemReportMultipartRequest",
    (serializers.Serializer,),
    {
        **_report_fields(),
        "photos": serializers.ListField(
            child=serializers.ImageField(),
            required=False,
            max_length=settings.PROBLEM_MAX_PHOTOS,
            help_text=(
                "Up to 3 JPEG, PNG or WebP files (by content), each at most "
                "PROBLEM_PHOTO_MAX_BYTES; re-encoded without EXIF, GPS or other metadata. "
                "Booleans are sent as `true`/`false`."
            ),
        ),
    },
)

SupportRequestSerializer = type(
    "ProblemSupportRequest",
    (serializers.Serializer,),
    {
        "token": _token(),
        "city": serializers.CharField(
            max_length=100, required=False, allow_blank=True, help_text="Citizens only."
        ),
        "registration": _registration(
            "Signed-in groups only: which of its registrations supports (default: the newest); "
            "a group supports once whichever it names."
        ),
    },
)

UNAUTHORIZED = {
    401: OpenApiResponse(
        ErrorSerializer,
        description=(
            "An `Authorization: Bearer` token that is not valid, has expired or was signed out "
            "(`token_invalid`)."
        ),
    )
}
FORBIDDEN = {
    403: OpenApiResponse(
        ErrorSerializer,
        description=(
            "Not signed in as a group and the code `token` is missing, forged or expired "
            "(`link_invalid`); or a member session without the CSRF token (`permission_denied`)."
        ),
    )
}
TOO_LARGE = {
    413: OpenApiResponse(
        ErrorSerializer, description="The body is larger than a report with 3 photos (`too_large`)."
    )
}
