"""The problems API's request shapes in the OpenAPI schema (the forms stay the validators)."""

from django.conf import settings

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from registrations.api.schema import ErrorSerializer
from registrations.choices import Province

from ..choices import PeopleAffected, Since


def _report_fields() -> dict:
    return {
        "token": serializers.CharField(
            help_text="From `POST /api/problems/codes/{check_id}/confirm/`: the verified mobile."
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

FORBIDDEN = {
    403: OpenApiResponse(
        ErrorSerializer, description="The token is missing, forged or expired (`link_invalid`)."
    )
}
TOO_LARGE = {
    413: OpenApiResponse(
        ErrorSerializer, description="The body is larger than a report with 3 photos (`too_large`)."
    )
}
