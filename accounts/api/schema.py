"""Serializers that describe the account API's JSON in the OpenAPI schema.

Request bodies come from the forms the web pages use (accounts.forms, the registration
form's profile fields), so the schema says what the pages accept. Validation stays with
the forms.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema_field
from rest_framework import serializers

from registrations.api.schema import ErrorSerializer, _field_for
from registrations.choices import Status
from registrations.forms import RegistrationFieldsForm

from ..models import PROFILE_FIELDS, Member


TAG = ["account"]

_ERRORS = {
    "400": "The input is not valid (`required`, `invalid_mobile`, `code_invalid`, …).",
    "401": (
        "Not signed in: no token or member session (`not_authenticated`), or the token has "
        "expired or was signed out (`token_invalid`)."
    ),
    "403": "A member session without the CSRF token (`permission_denied`).",
    "404": "Not one of the group's own (`not_found`): another group's ids are never found.",
    "409": (
        "Not possible now: signed in to the admin in this browser (`staff_session`), or the "
        "registration was withdrawn (`withdrawn`)."
    ),
    "413": "The body is too large (`too_large`).",
    "415": "The body is not JSON (`unsupported_media_type`).",
    "429": "Too many requests from this address or for this number (`throttled`, `locked_out`).",
}


def errors(*codes: str) -> dict:
    return {int(c): OpenApiResponse(ErrorSerializer, description=_ERRORS[c]) for c in codes}


class MobileRequestSerializer(serializers.Serializer):
    mobile = serializers.CharField(
        max_length=32, help_text="The mobile, in Persian, Arabic-Indic or ASCII digits."
    )


class CodeRequestSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32, help_text="The 6-digit code from the SMS.")


class SignInRequestSerializer(MobileRequestSerializer, CodeRequestSerializer):
    session = serializers.BooleanField(
        required=False,
        default=False,
        help_text=(
            "true: start a session (a cookie) instead of returning a token; needs the CSRF "
            "cookie and header like any session sign-in."
        ),
    )


class InviteRequestSerializer(MobileRequestSerializer):
    name = serializers.CharField(max_length=150, help_text="The co-member's full name.")


class WithdrawRequestSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(help_text="Must be true: withdrawing cannot be undone.")


class NoticeSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What happens next, for people.")


class MemberSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(allow_blank=True)
    role = serializers.ChoiceField(choices=Member.Role.choices)
    role_label = serializers.CharField()
    mobile = serializers.CharField(help_text="E.164, e.g. +989121234567.")


class SignedInSerializer(serializers.Serializer):
    token = serializers.CharField(
        allow_null=True,
        help_text="Send as `Authorization: Bearer <token>`; null when a session was started.",
    )
    expires_at = serializers.DateTimeField(help_text="When the token or session ends.")
    member = MemberSerializer()


class CampaignSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()


class RegistrationItemSerializer(serializers.Serializer):
    tracking_code = serializers.CharField()
    campaign = CampaignSerializer()
    status = serializers.ChoiceField(choices=Status.choices)
    status_label = serializers.CharField()
    decision = serializers.CharField(
        allow_null=True,
        help_text=(
            "What the staff decided: `approved` or `rejected`; null before review "
            "(or once withdrawn)."
        ),
    )
    rejection_reason = serializers.CharField(allow_blank=True)
    created_at = serializers.DateTimeField()
    confirmed_at = serializers.DateTimeField(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    change_pending = serializers.BooleanField(help_text="A proposed change awaits the staff.")


class GroupSerializer(serializers.Serializer):
    member = MemberSerializer()
    is_representative = serializers.BooleanField()
    registrations = RegistrationItemSerializer(many=True)


def _profile_fields(required: bool) -> dict:
    fields = {}
    for name in PROFILE_FIELDS:
        field = _field_for(RegistrationFieldsForm.base_fields[name])
        if not required:
            field.required = False
        if isinstance(field, serializers.IntegerField) or name == "email":
            field.allow_null = True
        fields[name] = field
    return fields


ProfileSerializer = type("ProfileSerializer", (serializers.Serializer,), _profile_fields(True))
ProfilePatchSerializer = type(
    "ProfilePatchSerializer", (serializers.Serializer,), _profile_fields(False)
)


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "description": "The change waiting for the staff, or null.",
        "required": ["created_at", "changes"],
        "properties": {
            "created_at": {"type": "string", "format": "date-time"},
            "changes": {
                "type": "object",
                "description": "Each changed field's approved (`old`) and proposed (`new`) value.",
                "additionalProperties": {
                    "type": "object",
                    "required": ["old", "new"],
                    "properties": {"old": {}, "new": {}},
                },
            },
        },
    }
)
class PendingChangeField(serializers.JSONField):
    """Written inline: a nullable reference has no `type` beside it, which linters refuse."""


class ProfileStateSerializer(serializers.Serializer):
    registration = RegistrationItemSerializer()
    editable = serializers.BooleanField(help_text="false once withdrawn.")
    profile = ProfileSerializer(help_text="The values in force (the approved ones).")
    pending_change = PendingChangeField(allow_null=True)
    outcome = serializers.ChoiceField(
        choices=["saved", "proposed", "unchanged"],
        required=False,
        help_text=(
            "After an edit: saved at once (not yet reviewed), proposed for the staff to accept "
            "(approved), or nothing changed."
        ),
    )


class MemberListSerializer(serializers.Serializer):
    members = MemberSerializer(many=True)
    can_add = serializers.BooleanField()


class InviteSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="For `members/invites/{invite_id}/confirm/`.")
    name = serializers.CharField()
    detail = serializers.CharField()
