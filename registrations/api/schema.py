"""Serializers that describe the registration API's JSON (for responses and the OpenAPI schema).

The request body's schema is derived from `RegistrationFieldsForm` itself, so the schema
cannot drift from what the form accepts: the same names, choices, lengths and required
fields. Validation stays with the form.
"""

from django import forms

from wagtail.contrib.forms.models import FORM_FIELD_CHOICES

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from .. import services
from ..choices import Status
from ..forms import ConfirmForm, RegistrationFieldsForm
from ..models import Registration


class ErrorItemSerializer(serializers.Serializer):
    field = serializers.CharField(
        allow_null=True,
        help_text=(
            "The request field the error belongs to (the `clean_name` for an answer in "
            "`extra_answers`), or null for the request as a whole."
        ),
    )
    code = serializers.CharField(help_text="A stable machine code, e.g. `invalid_mobile`.")
    message = serializers.CharField(help_text="For people, in the language asked for.")


class ErrorSerializer(serializers.Serializer):
    errors = ErrorItemSerializer(many=True)


_ERROR_DESCRIPTIONS = {
    "400": "The input is not valid: every problem is listed, each with its field.",
    "404": "Not found.",
    "409": "Not possible in the registration's state (`already_registered`, `wrong_state`).",
    "413": "The body is larger than a registration can be (`too_large`).",
    "415": "The body is not JSON (`unsupported_media_type`).",
    "429": (
        "Too many requests from this address or for this mobile (`throttled`), or too many "
        "codes (`too_many_codes`, `resend_too_soon` with `Retry-After`)."
    ),
}


def error_responses(*codes: str) -> dict:
    return {
        int(code): OpenApiResponse(ErrorSerializer, description=_ERROR_DESCRIPTIONS[code])
        for code in codes
    }


def _field_for(form_field: forms.Field) -> serializers.Field:
    options = {
        "required": form_field.required,
        # Lazy: the schema is written in the language the client asks for.
        "help_text": form_field.help_text or None,
        "label": form_field.label,
    }
    if isinstance(form_field, forms.MultipleChoiceField):
        return serializers.ListField(
            child=serializers.ChoiceField(choices=form_field.choices),
            allow_empty=not form_field.required,
            **options,
        )
    if isinstance(form_field, forms.ChoiceField):
        return serializers.ChoiceField(
            choices=[(code, label) for code, label in form_field.choices if code != ""], **options
        )
    if isinstance(form_field, forms.BooleanField):
        return serializers.BooleanField(**options)
    if isinstance(form_field, forms.IntegerField):
        # Documented as the integer it is; the API still takes digits typed as a string in
        # any script (the web form's leniency), which a generated client need not know.
        return serializers.IntegerField(
            min_value=form_field.min_value, max_value=form_field.max_value, **options
        )
    if isinstance(form_field, forms.EmailField):
        return serializers.EmailField(allow_blank=not form_field.required, **options)
    return serializers.CharField(
        max_length=getattr(form_field, "max_length", None),
        allow_blank=not form_field.required,
        **options,
    )


def _serializer_from_form(name: str, form_class, extra: dict) -> type[serializers.Serializer]:
    fields = {field_name: _field_for(field) for field_name, field in form_class.base_fields.items()}
    return type(name, (serializers.Serializer,), {**extra, **fields})


RegistrationRequestSerializer = _serializer_from_form(
    "RegistrationSerializer",
    RegistrationFieldsForm,
    {
        "campaign": serializers.SlugField(
            allow_unicode=True,
            help_text="The campaign's slug, e.g. `nehzat` (`meta.slug` in the pages API).",
        ),
        "extra_answers": serializers.DictField(
            required=False,
            help_text=(
                "Answers to the campaign's extra questions, keyed by `clean_name`: strings, "
                "numbers, booleans or lists of strings."
            ),
        ),
    },
)

ConfirmRequestSerializer = _serializer_from_form("ConfirmSerializer", ConfirmForm, {})


class RegistrationStateSerializer(serializers.ModelSerializer):
    """A registration as its own client sees it after each step."""

    campaign = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    tracking_code = serializers.SerializerMethodField(
        help_text="Given once the mobile is confirmed; null before."
    )
    resend_after_seconds = serializers.SerializerMethodField(
        help_text="Seconds to wait before asking for a new code (0: now)."
    )

    class Meta:
        model = Registration
        fields = [
            "public_id",
            "campaign",
            "status",
            "status_label",
            "tracking_code",
            "created_at",
            "confirmed_at",
            "resend_after_seconds",
        ]
        read_only_fields = fields

    def get_tracking_code(self, registration) -> str | None:
        if registration.status in (Status.DRAFT, Status.AWAITING_CONFIRMATION):
            return None
        return registration.tracking_code

    def get_resend_after_seconds(self, registration) -> int:
        if registration.status != Status.AWAITING_CONFIRMATION:
            return 0
        return services.seconds_until_resend(registration)


class RegistrationStatusSerializer(serializers.ModelSerializer):
    """What a status lookup reveals: the status and its dates, nothing personal."""

    status_label = serializers.CharField(source="get_status_display", read_only=True)

    class Meta:
        model = Registration
        fields = [
            "tracking_code",
            "status",
            "status_label",
            "created_at",
            "confirmed_at",
            "reviewed_at",
        ]
        read_only_fields = fields


# How an answer to each kind of extra question is sent in `extra_answers`.
ANSWER_TYPES = {
    "checkbox": "boolean",
    "checkboxes": "array",
    "multiselect": "array",
    "number": "number",
}


class ExtraQuestionSerializer(serializers.Serializer):
    clean_name = serializers.CharField(help_text="The key of the answer in `extra_answers`.")
    label = serializers.CharField()
    field_type = serializers.ChoiceField(
        choices=[code for code, _label in FORM_FIELD_CHOICES],
        help_text="The kind of question, as in Wagtail's form builder.",
    )
    answer_type = serializers.ChoiceField(
        choices=["string", "number", "boolean", "array"],
        help_text="The JSON type of the answer (an array holds strings).",
    )
    required = serializers.BooleanField()
    choices = serializers.ListField(
        child=serializers.CharField(), help_text="The answers to pick from; empty if free text."
    )
    help_text = serializers.CharField(allow_blank=True)


class OpenCampaignSerializer(serializers.Serializer):
    slug = serializers.CharField(help_text="What `campaign` takes in a registration.")
    title = serializers.CharField(help_text="In the language asked for, where translated.")
    language = serializers.CharField(help_text="The language of `title` and the questions.")
    languages = serializers.ListField(
        child=serializers.CharField(), help_text="Every language the campaign is published in."
    )
    registration_url = serializers.URLField(help_text="The web form, in `language`.")
    extra_questions = ExtraQuestionSerializer(many=True)


class OpenCampaignListSerializer(serializers.Serializer):
    campaigns = OpenCampaignSerializer(many=True)


def public_addresses(result, generator, request, public):
    """drf-spectacular hook: `servers`, contact and licence from the settings of the day."""
    from django.conf import settings

    base = settings.PUBLIC_BASE_URL
    contact = {"name": "Social Participation Movement", "url": base + "/"}
    if settings.API_CONTACT_EMAIL:
        contact["email"] = settings.API_CONTACT_EMAIL
    result["servers"] = [{"url": base}]
    result["info"]["contact"] = contact
    result["info"]["license"] = {
        "name": settings.API_LICENSE_NAME,
        "url": settings.API_LICENSE_URL or base + "/",
    }
    return result


SCHEMA_PATHS = (
    "/api/registrations/",
    "/api/campaigns/",
    "/api/problems/",
    "/api/interventions/",
    "/api/atlas/",
    "/api/account/",
    "/api/matching/",
)


def registration_endpoints_only(endpoints):
    """drf-spectacular hook: the schema covers the registration API, not Wagtail's API v2."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(SCHEMA_PATHS)]
