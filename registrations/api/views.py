"""The registration API: the web form's four steps for apps and other front ends.

Every request is validated by the same forms as the web (`RegistrationFieldsForm`,
`ConfirmForm`, `StatusLookupForm`) and handled by the same services, so both channels
save the same registration and refuse the same input with the same error codes. Errors
are always `{"errors": [{"field", "code", "message"}]}`, the message in the language of
`Accept-Language` (Persian by default).
"""

import uuid
from functools import wraps

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularAPIView
from rest_framework import exceptions, status
from rest_framework.permissions import AllowAny
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import services
from ..choices import Source, Status
from ..forms import ConfirmForm, RegistrationFieldsForm, StatusLookupForm
from ..models import Registration
from ..services import ratelimits
from .parsers import SafeJSONParser
from .schema import (
    ANSWER_TYPES,
    ConfirmRequestSerializer,
    OpenCampaignListSerializer,
    RegistrationRequestSerializer,
    RegistrationStateSerializer,
    RegistrationStatusSerializer,
    error_responses,
)


def error(field: str | None, code: str, message) -> dict:
    return {"field": field, "code": code, "message": str(message)}


def error_response(http_status: int, errors: list[dict], headers=None) -> Response:
    return Response({"errors": errors}, status=http_status, headers=headers)


class ApiError(Exception):
    def __init__(self, http_status: int, *errors: dict, headers=None):
        super().__init__(errors)
        self.http_status = http_status
        self.errors = list(errors)
        self.headers = headers


def api_language(request) -> str:
    """The language asked for by Accept-Language (or the language cookie), else Persian.

    The API is outside the language prefix, where Django's LocaleMiddleware always picks
    the default language; API clients choose with the header instead.
    """
    return translation.get_language_from_request(request, check_path=False)


class RegistrationAPIView(APIView):
    """JSON in and out, no session (so no CSRF), answers in the client's language."""

    authentication_classes = []
    permission_classes = [AllowAny]
    parser_classes = [SafeJSONParser]
    renderer_classes = [JSONRenderer]

    def dispatch(self, request, *args, **kwargs):
        language = api_language(request)
        with translation.override(language):
            self.language = language
            response = super().dispatch(request, *args, **kwargs)
            response["Content-Language"] = language
            # Render inside the override: messages are lazy and translate when rendered.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            return response

    def max_body_bytes(self) -> int:
        return settings.REGISTRATION_MAX_BODY_BYTES

    def initial(self, request, *args, **kwargs):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > self.max_body_bytes():
            raise ApiError(
                status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
                error(None, "too_large", _("The request is larger than a registration can be.")),
            )
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc):
        if isinstance(exc, ApiError):
            return error_response(exc.http_status, exc.errors, headers=exc.headers)
        if isinstance(exc, services.RegistrationError):
            return error_response(
                SERVICE_ERROR_STATUS.get(type(exc), status.HTTP_400_BAD_REQUEST),
                [error(exc.field, exc.code, exc)],
                headers=_retry_after(exc),
            )
        if isinstance(exc, exceptions.APIException):
            codes = exc.get_codes()
            code = codes if isinstance(codes, str) else exc.default_code
            return error_response(exc.status_code, [error(None, code, exc.detail)])
        return super().handle_exception(exc)

    def body(self) -> dict:
        data = self.request.data
        if not isinstance(data, dict):
            raise ApiError(
                status.HTTP_400_BAD_REQUEST,
                error(None, "invalid_type", _("The request body must be a JSON object.")),
            )
        return data

    def limit(self, group: str, rate: str, key="ip") -> None:
        """Count this request against `rate` for the key; over it, refuse with 429."""
        if ratelimits.hit(self.request._request, group=group, rate=rate, key=key):
            raise ApiError(
                status.HTTP_429_TOO_MANY_REQUESTS,
                error(
                    None, "throttled", _("Too many attempts from here. Please wait a few minutes.")
                ),
            )


SERVICE_ERROR_STATUS = {
    services.AlreadyRegistered: status.HTTP_409_CONFLICT,
    services.WrongState: status.HTTP_409_CONFLICT,
    services.TooManyCodes: status.HTTP_429_TOO_MANY_REQUESTS,
    services.ResendTooSoon: status.HTTP_429_TOO_MANY_REQUESTS,
    services.CodeInvalid: status.HTTP_400_BAD_REQUEST,
    services.CodeExpired: status.HTTP_400_BAD_REQUEST,
}


def _retry_after(exc) -> dict | None:
    seconds = getattr(exc, "seconds_left", None)
    return {"Retry-After": str(seconds)} if seconds else None


def _form_errors(form) -> ApiError:
    """A bound form's errors, in the web form's terms: its field names and error codes."""
    return ApiError(
        status.HTTP_400_BAD_REQUEST,
        *(
            error(None if field == "__all__" else field, item.code or "invalid", message)
            for field, items in form.errors.as_data().items()
            for item in items
            for message in item.messages
        ),
    )


# --- JSON shape checks ------------------------------------------------------------------
#
# Django forms take strings, as browsers send them. JSON can also carry numbers, booleans,
# lists and objects; a value of the wrong JSON type is refused here (code "invalid_type")
# so the form never sees, say, a list where a name belongs. Everything else is the form's.


def _type_error(field: str) -> dict:
    return error(field, "invalid_type", _("This value has the wrong type."))


def _check_types(data: dict, form_class, extra: tuple[str, ...] = ()) -> list[dict]:
    from django import forms

    errors = []
    for name, field in form_class.base_fields.items():
        if name not in data or data[name] is None:
            continue
        value = data[name]
        if isinstance(field, forms.MultipleChoiceField):
            ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
        elif isinstance(field, forms.BooleanField):
            ok = isinstance(value, bool)
        elif isinstance(field, forms.IntegerField):
            ok = isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))
        else:
            ok = isinstance(value, str)
        if not ok:
            errors.append(_type_error(name))
    for name in extra:
        if name in data and not isinstance(data[name], str):
            errors.append(_type_error(name))
    return errors


def _extra_answers(data: dict) -> tuple[dict, list[dict]]:
    answers = data.get("extra_answers") or {}
    if not isinstance(answers, dict):
        return {}, [_type_error("extra_answers")]
    flat, errors = {}, []
    for name, value in answers.items():
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            flat[name] = value
        elif isinstance(value, bool):
            flat[name] = "on" if value else ""
        elif isinstance(value, str | int | float):
            flat[name] = str(value)
        elif value is not None:
            errors.append(_type_error(name))
    return flat, errors


# --- endpoints ----------------------------------------------------------------------------


class RegistrationCreate(RegistrationAPIView):
    @extend_schema(
        operation_id="registrations_create",
        tags=["registrations"],
        summary="Register a group, NGO or facilitator",
        description=(
            "Validates the fields exactly like the web form, saves the registration and sends "
            "a 6-digit code by SMS to the mobile. Confirm it with "
            "`POST /api/registrations/{public_id}/confirm/`. Mobiles and numbers may be typed "
            "in Persian, Arabic-Indic or ASCII digits. Answers to the campaign's extra questions "
            "(see `form_fields` of the campaign in `/api/v2/pages/`) go in `extra_answers`, "
            "keyed by their `clean_name`."
        ),
        request=RegistrationRequestSerializer,
        responses={
            201: RegistrationStateSerializer,
            **error_responses("400", "409", "413", "415", "429"),
        },
        examples=[
            OpenApiExample(
                "An NGO, typed in Persian digits",
                request_only=True,
                value={
                    "campaign": "nehzat",
                    "kind": "ngo",
                    "organisation_name": "انجمن یاوران محله",
                    "province": "tehran",
                    "city": "تهران",
                    "fields_of_activity": ["social_harm", "education"],
                    "representative_name": "مریم احمدی",
                    "mobile": "۰۹۱۲۳۴۵۶۷۸۹",
                    "consent": True,
                },
            )
        ],
    )
    def post(self, request):
        data = self.body()
        self.limit("register-ip", settings.REGISTRATION_IP_RATE)
        campaign = self._campaign(data.get("campaign"))
        answers, errors = _extra_answers(data)
        errors = _check_types(data, RegistrationFieldsForm) + errors
        if errors:
            raise ApiError(status.HTTP_400_BAD_REQUEST, *errors)
        form_data = {
            name: value
            for name, value in data.items()
            if name in RegistrationFieldsForm.base_fields and value is not None
        }
        form = RegistrationFieldsForm({**answers, **form_data}, campaign=campaign)
        if not form.is_valid():
            raise _form_errors(form)
        self.limit(
            "register-mobile",
            settings.REGISTRATION_MOBILE_RATE,
            key=ratelimits.mobile_key(data.get("mobile")),
        )
        outcome = services.register(
            campaign=campaign,
            data=form.registration_data(),
            source=Source.API,
            language=self.language,
        )
        return Response(
            RegistrationStateSerializer(outcome.registration).data,
            status=status.HTTP_201_CREATED,
        )

    def _campaign(self, slug):
        if not isinstance(slug, str) or not slug:
            raise ApiError(
                status.HTTP_400_BAD_REQUEST,
                error("campaign", "required", _("Give the campaign's slug.")),
            )
        campaign = services.live_campaign(slug)
        if campaign is None:
            raise ApiError(
                status.HTTP_400_BAD_REQUEST,
                error("campaign", "unknown_campaign", _("There is no campaign with this slug.")),
            )
        if not campaign.registration_open:
            raise ApiError(
                status.HTTP_400_BAD_REQUEST,
                error(
                    "campaign",
                    "registration_closed",
                    _("Registration for this campaign is closed."),
                ),
            )
        return campaign


def _awaiting(view):
    """Look up the registration named in the URL; only its own campaign's open form counts."""

    @wraps(view)
    def wrapper(self, request, public_id):
        try:
            public_id = uuid.UUID(public_id)
        except ValueError:
            registration = None
        else:
            registration = (
                Registration.objects.filter(public_id=public_id).select_related("campaign").first()
            )
        campaign = registration and registration.campaign
        if (
            registration is None
            or registration.status == Status.DRAFT
            or not (campaign.live and campaign.registration_open)
        ):
            raise ApiError(
                status.HTTP_404_NOT_FOUND,
                error("public_id", "not_found", _("There is no registration with this id.")),
            )
        return view(self, request, registration)

    return wrapper


PUBLIC_ID = OpenApiParameter(
    "public_id",
    type={"type": "string", "format": "uuid"},
    location=OpenApiParameter.PATH,
    description="`public_id` from the answer to the registration.",
)


class RegistrationConfirm(RegistrationAPIView):
    @extend_schema(
        operation_id="registrations_confirm",
        tags=["registrations"],
        summary="Confirm the mobile with the code from the SMS",
        description=(
            "The right code confirms the registration; its tracking code is returned and sent "
            "by SMS. Five wrong codes use a code up; a code is valid for ten minutes."
        ),
        parameters=[PUBLIC_ID],
        request=ConfirmRequestSerializer,
        responses={
            200: RegistrationStateSerializer,
            **error_responses("400", "404", "409", "413", "415", "429"),
        },
    )
    @_awaiting
    def post(self, request, registration):
        data = self.body()
        self.limit("confirm-ip", settings.REGISTRATION_IP_RATE)
        errors = _check_types(data, ConfirmForm)
        if errors:
            raise ApiError(status.HTTP_400_BAD_REQUEST, *errors)
        form = ConfirmForm(data)
        if not form.is_valid():
            raise _form_errors(form)
        registration = services.confirm(registration=registration, code=form.cleaned_data["code"])
        return Response(RegistrationStateSerializer(registration).data)


class RegistrationResend(RegistrationAPIView):
    @extend_schema(
        operation_id="registrations_resend",
        tags=["registrations"],
        summary="Send a new code",
        description=(
            "Sends a new code to the registration's mobile, replacing the old one. One code a "
            "minute, and at most a few a day per mobile (429 with `Retry-After`)."
        ),
        parameters=[PUBLIC_ID],
        request=None,
        responses={
            202: RegistrationStateSerializer,
            **error_responses("404", "409", "413", "429"),
        },
    )
    @_awaiting
    def post(self, request, registration):
        self.limit("resend-ip", settings.REGISTRATION_IP_RATE)
        services.resend_code(registration=registration)
        return Response(
            RegistrationStateSerializer(registration).data, status=status.HTTP_202_ACCEPTED
        )


class RegistrationStatusLookup(RegistrationAPIView):
    @extend_schema(
        operation_id="registrations_status",
        tags=["registrations"],
        summary="Look up a registration's status",
        description=(
            "Needs both the tracking code (sent by SMS after confirmation) and the mobile it "
            "was registered with; a mismatch looks exactly like an unknown code. Reveals the "
            "status and its dates, nothing else."
        ),
        parameters=[
            OpenApiParameter(
                "tracking_code",
                str,
                required=True,
                description="8 digits, in any digit script.",
            ),
            OpenApiParameter(
                "mobile", str, required=True, description="The mobile used to register."
            ),
        ],
        responses={
            200: RegistrationStatusSerializer,
            **error_responses("400", "404", "429"),
        },
    )
    def get(self, request):
        params = {name: request.query_params.get(name) for name in ("tracking_code", "mobile")}
        self.limit("status-ip", settings.STATUS_LOOKUP_IP_RATE)
        form = StatusLookupForm({k: v for k, v in params.items() if v is not None})
        if not form.is_valid():
            raise _form_errors(form)
        self.limit(
            "status-mobile",
            settings.REGISTRATION_MOBILE_RATE,
            key=ratelimits.mobile_key(params["mobile"]),
        )
        registration = services.find_by_tracking_code(
            tracking_code=form.cleaned_data["tracking_code"], mobile=form.cleaned_data["mobile"]
        )
        if registration is None:
            raise ApiError(
                status.HTTP_404_NOT_FOUND,
                error(
                    None,
                    "not_found",
                    _("No registration matches this tracking code and mobile number."),
                ),
            )
        return Response(RegistrationStatusSerializer(registration).data)


def _extra_question(field, builder) -> dict:
    return {
        "clean_name": field.clean_name,
        "label": field.label,
        "field_type": field.field_type,
        "answer_type": ANSWER_TYPES.get(field.field_type, "string"),
        "required": field.required,
        "choices": [value for value, _label in builder.get_formatted_field_choices(field)]
        if field.choices
        else [],
        "help_text": field.help_text,
    }


def open_campaigns(language: str, request) -> list[dict]:
    """Each campaign taking registrations once, in `language` where it is translated."""
    from wagtail.api.utils import get_full_url
    from wagtail.contrib.forms.forms import FormBuilder

    groups: dict = {}
    for (code, _slug), page in sorted(services.live_campaigns().items()):
        if page.registration_open:
            groups.setdefault(page.translation_key, {})[code] = page
    campaigns = []
    for pages in groups.values():
        code = language if language in pages else settings.LANGUAGE_CODE
        page = pages.get(code) or next(iter(pages.values()))
        code = page.locale.language_code
        with translation.override(code):
            url = page.registration_url
        if url is None:
            continue
        builder = FormBuilder([])
        campaigns.append(
            {
                "slug": page.slug,
                "title": page.title,
                "language": code,
                "languages": sorted(pages),
                "registration_url": get_full_url(request, url),
                "extra_questions": [
                    _extra_question(field, builder) for field in page.form_fields.all()
                ],
            }
        )
    return sorted(campaigns, key=lambda campaign: campaign["slug"])


class OpenCampaigns(RegistrationAPIView):
    @extend_schema(
        operation_id="campaigns_list",
        summary="List the campaigns taking registrations",
        description=(
            "Each campaign once: its slug (for `campaign` in a registration), title, the "
            "languages it is published in, its web form and its extra questions with the type "
            "of each answer, in the language of Accept-Language where translated."
        ),
        tags=["campaigns"],
        responses={200: OpenCampaignListSerializer, **error_responses("413")},
    )
    def get(self, request):
        return Response({"campaigns": open_campaigns(self.language, request)})


class NotFound(RegistrationAPIView):
    """Any other address under /api/registrations/."""

    schema = None  # not an operation of the API

    def _not_found(self, request, *args, **kwargs):
        raise ApiError(
            status.HTTP_404_NOT_FOUND,
            error(None, "not_found", _("There is nothing at this address.")),
        )

    get = post = put = patch = delete = _not_found


class RegistrationSchemaView(SpectacularAPIView):
    """The OpenAPI schema, its labels in the language of Accept-Language (Persian by default)."""

    def dispatch(self, request, *args, **kwargs):
        from django.utils import translation

        from .views import api_language

        with translation.override(api_language(request)):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            return response
