"""Thin JSON views over accounts.services, on the registration API's base view (JSON only,
answers in the client's language, errors `{"errors": [{field, code, message}]}`).

Every group-scoped lookup goes through the signed-in group (its tracking codes, its members,
its invites), so another group's ids answer the same 404 as ids that do not exist.
"""

from types import SimpleNamespace

from django.conf import settings
from django.contrib.auth import logout
from django.utils.translation import gettext as _

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.response import Response

from registrations.api.views import (
    ApiError,
    RegistrationAPIView,
    _check_types,
    _form_errors,
    error,
    error_response,
)
from registrations.choices import Status
from registrations.forms import RegistrationFieldsForm
from registrations.services import ratelimits

from .. import services, tasks
from ..forms import CodeForm, CoMemberForm, MobileForm, NewMobileForm, ProfileForm
from ..models import PROFILE_FIELDS
from .auth import MemberSessionAuthentication, MemberTokenAuthentication
from .schema import (
    TAG,
    CodeRequestSerializer,
    GroupSerializer,
    InviteRequestSerializer,
    InviteSerializer,
    MemberListSerializer,
    MemberSerializer,
    MobileRequestSerializer,
    NoticeSerializer,
    ProfilePatchSerializer,
    ProfileStateSerializer,
    SignedInSerializer,
    SignInRequestSerializer,
    WithdrawRequestSerializer,
    errors,
)


SIGN_IN_ERROR_STATUS = {
    services.LockedOut: status.HTTP_429_TOO_MANY_REQUESTS,
    services.StaffSignedIn: status.HTTP_409_CONFLICT,
}
_PROFILE_FORM = SimpleNamespace(
    base_fields={name: RegistrationFieldsForm.base_fields[name] for name in PROFILE_FIELDS}
)


class IsGroupMember(BasePermission):
    def has_permission(self, request, view):
        return services.signed_in_group(request) is not None


def _not_found(field: str) -> ApiError:
    return ApiError(
        status.HTTP_404_NOT_FOUND, error(field, "not_found", _("There is nothing at this address."))
    )


class AccountAPIView(RegistrationAPIView):
    """Signed in by token or member session; anonymous callers get 401."""

    authentication_classes = [MemberTokenAuthentication, MemberSessionAuthentication]
    permission_classes = [IsGroupMember]

    def permission_denied(self, request, message=None, code=None):
        raise exceptions.NotAuthenticated(
            _("Sign in first: send the token from sign-in as 'Authorization: Bearer …'."),
            code="not_authenticated",
        )

    def handle_exception(self, exc):
        if isinstance(exc, services.SignInError):
            field = "code" if isinstance(exc, services.CodeRejected | services.LockedOut) else None
            return error_response(
                SIGN_IN_ERROR_STATUS.get(type(exc), status.HTTP_400_BAD_REQUEST),
                [error(field, exc.code, exc)],
            )
        response = super().handle_exception(exc)
        if response.status_code == status.HTTP_401_UNAUTHORIZED:
            response["WWW-Authenticate"] = MemberTokenAuthentication().authenticate_header(
                self.request
            )
        return response

    @property
    def group(self) -> services.SignedInGroup:
        return services.signed_in_group(self.request)

    def form(self, form_class, data: dict):
        """The web page's form, bound to the JSON body (type-checked first)."""
        type_errors = _check_types(data, form_class)
        if type_errors:
            raise ApiError(status.HTTP_400_BAD_REQUEST, *type_errors)
        names = form_class.base_fields
        form = form_class({name: data[name] for name in names if data.get(name) is not None})
        if not form.is_valid():
            raise _form_errors(form)
        return form


class PublicAccountAPIView(AccountAPIView):
    """Signing in: open to anyone (the answers never tell who registered)."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def initial(self, request, *args, **kwargs):
        # DRF replaces the Django request's user with AnonymousUser when no authenticator
        # applies; the session's own user is needed to refuse signing in over a staff session.
        self.session_user = getattr(request._request, "user", None)
        super().initial(request, *args, **kwargs)


def member_json(member) -> dict:
    return {
        "id": member.pk,
        "name": member.name,
        "role": member.role,
        "role_label": str(member.get_role_display()),
        "mobile": str(member.mobile),
    }


def registration_json(registration) -> dict:
    decision = None
    if registration.status in (Status.APPROVED, Status.REJECTED):
        decision = registration.status
    return {
        "tracking_code": registration.tracking_code,
        "campaign": {"slug": registration.campaign.slug, "title": registration.campaign.title},
        "status": registration.status,
        "status_label": str(registration.get_status_display()),
        "decision": decision,
        "rejection_reason": registration.rejection_reason
        if registration.status == Status.REJECTED
        else "",
        "created_at": registration.created_at,
        "confirmed_at": registration.confirmed_at,
        "reviewed_at": registration.reviewed_at,
        # The prefetched changes (My group) or one query (a single registration).
        "change_pending": any(
            change.status == "pending" for change in registration.proposed_changes.all()
        ),
    }


# --- signing in and out ------------------------------------------------------------------


class RequestCode(PublicAccountAPIView):
    @extend_schema(
        operation_id="account_request_code",
        tags=TAG,
        summary="Ask for a sign-in code by SMS",
        description=(
            "The answer is the same whether or not the number registered, and only a "
            "registered number is sent a code (10 minutes, 5 tries, a new one after 60 s)."
        ),
        request=MobileRequestSerializer,
        responses={202: NoticeSerializer, **errors("400", "413", "415", "429")},
    )
    def post(self, request):
        data = self.body()
        self.limit("account-ip", settings.ACCOUNT_IP_RATE)
        form = self.form(MobileForm, data)
        self.limit(
            "account-mobile",
            settings.ACCOUNT_MOBILE_RATE,
            key=ratelimits.mobile_key(data.get("mobile")),
        )
        tasks.request_code(mobile=str(form.cleaned_data["mobile"]), language=self.language)
        return Response(
            {"detail": _("If this number is registered, a sign-in code is on its way by SMS.")},
            status=status.HTTP_202_ACCEPTED,
        )


class SignIn(PublicAccountAPIView):
    @extend_schema(
        operation_id="account_sign_in",
        tags=TAG,
        summary="Sign in with the code: a token, or a session",
        description=(
            "The right code for the mobile returns a token (`Authorization: Bearer <token>`) "
            "that lasts as long as a member's session, or starts a session when `session` is "
            "true. Five wrong codes lock the number for a while."
        ),
        request=SignInRequestSerializer,
        responses={200: SignedInSerializer, **errors("400", "403", "409", "413", "415", "429")},
    )
    def post(self, request):
        data = self.body()
        self.limit("account-code-ip", settings.ACCOUNT_IP_RATE)
        wants_session = data.get("session", False)
        if not isinstance(wants_session, bool):
            raise ApiError(
                status.HTTP_400_BAD_REQUEST,
                error("session", "invalid_type", _("This value has the wrong type.")),
            )
        mobile = str(self.form(MobileForm, data).cleaned_data["mobile"])
        code = self.form(CodeForm, data).cleaned_data["code"]
        django_request = request._request
        django_request.user = self.session_user
        if wants_session:
            SessionAuthentication().enforce_csrf(request)  # no sign-in CSRF
            if services.staff_session(django_request):
                raise services.StaffSignedIn()
        member = services.verify_code(mobile=mobile, code=code)
        if wants_session:
            django_request._sign_in_via = "api-session"
            services.sign_in(django_request, member)
            token, expires_at = None, django_request.session.get_expiry_date()
        else:
            token, row = services.issue_token(member)
            expires_at = row.expires_at
        return Response(
            {"token": token, "expires_at": expires_at, "member": member_json(member)},
        )


class SignOut(AccountAPIView):
    @extend_schema(
        operation_id="account_sign_out",
        tags=TAG,
        summary="Sign out: the token (or the session) stops working",
        request=None,
        responses={204: None, **errors("401", "403", "413")},
    )
    def post(self, request):
        if request.auth is not None:
            services.revoke_token(request.auth)
        else:
            logout(request._request)  # accounts.services.audit_sign_out logs it
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- my group --------------------------------------------------------------------------


class MyGroup(AccountAPIView):
    @extend_schema(
        operation_id="account_group",
        tags=TAG,
        summary="My group: who is signed in and the group's registrations",
        description="Every campaign's registration of the group, with the staff's decision.",
        responses={200: GroupSerializer, **errors("401", "413")},
    )
    def get(self, request):
        group = self.group
        return Response(
            {
                "member": member_json(group.member),
                "is_representative": group.is_representative,
                "registrations": [
                    registration_json(r)
                    for r in group.registrations.prefetch_related("proposed_changes")
                ],
            }
        )


TRACKING_CODE = OpenApiParameter(
    "tracking_code",
    type=str,
    location=OpenApiParameter.PATH,
    description="The registration's tracking code (one of the group's own).",
)


class _OwnRegistration:
    """One of the signed-in group's registrations, by tracking code; anyone else's is a 404."""

    def registration(self, tracking_code):
        registration = services.group_registration(self.group, tracking_code)
        if registration is None:
            raise _not_found("tracking_code")
        return registration

    def state(self, registration, outcome=None) -> dict:
        pending = services.pending_change(registration)
        data = {
            "registration": registration_json(registration),
            "editable": registration.status != Status.WITHDRAWN,
            "profile": {name: getattr(registration, name) for name in PROFILE_FIELDS},
            "pending_change": pending
            and {"created_at": pending.created_at, "changes": pending.changes},
        }
        if outcome:
            data["outcome"] = outcome
        return data


class Profile(_OwnRegistration, AccountAPIView):
    @extend_schema(
        operation_id="account_profile",
        tags=TAG,
        summary="A registration's profile, and the change waiting for review",
        parameters=[TRACKING_CODE],
        responses={200: ProfileStateSerializer, **errors("401", "404", "413")},
    )
    def get(self, request, tracking_code):
        return Response(self.state(self.registration(tracking_code)))

    @extend_schema(
        operation_id="account_profile_edit",
        tags=TAG,
        summary="Edit the profile (a proposed change once approved)",
        description=(
            "Send only the fields to change; the others keep their value (or the pending "
            "change's). Before review the edit is saved at once; on an approved registration "
            "it becomes a proposed change the staff accept in the admin, and the approved "
            "values stay in force (and in exports) until then."
        ),
        parameters=[TRACKING_CODE],
        request=ProfilePatchSerializer,
        responses={
            200: ProfileStateSerializer,
            **errors("400", "401", "403", "404", "409", "413", "415", "429"),
        },
    )
    def patch(self, request, tracking_code):
        registration = self.registration(tracking_code)
        data = self.body()
        self.limit("account-profile-ip", settings.ACCOUNT_IP_RATE)
        type_errors = _check_types(data, _PROFILE_FORM)
        if type_errors:
            raise ApiError(status.HTTP_400_BAD_REQUEST, *type_errors)
        if registration.status == Status.WITHDRAWN:
            raise ApiError(
                status.HTTP_409_CONFLICT,
                error(None, "withdrawn", _("This registration was withdrawn.")),
            )
        current = {name: getattr(registration, name) for name in PROFILE_FIELDS}
        pending = services.pending_change(registration)
        if pending is not None:
            current.update({name: value["new"] for name, value in pending.changes.items()})
        merged = {**current, **{k: v for k, v in data.items() if k in PROFILE_FIELDS}}
        form = ProfileForm({k: "" if v is None else v for k, v in merged.items()})
        if not form.is_valid():
            raise _form_errors(form)
        new = form.profile_data()
        differs = any(getattr(registration, name) != new[name] for name in PROFILE_FIELDS)
        change = services.edit_profile(group=self.group, registration=registration, data=new)
        registration.refresh_from_db()
        outcome = "proposed" if change is not None else "saved" if differs else "unchanged"
        return Response(self.state(registration, outcome))


class Withdraw(_OwnRegistration, AccountAPIView):
    @extend_schema(
        operation_id="account_withdraw",
        tags=TAG,
        summary="Withdraw a registration (kept, marked withdrawn)",
        description=(
            "Cannot be undone. Once none of the group's registrations is in force, no SMS "
            "goes to it but what it asks for (sign-in codes and links)."
        ),
        parameters=[TRACKING_CODE],
        request=WithdrawRequestSerializer,
        responses={200: ProfileStateSerializer, **errors("400", "401", "403", "404", "413", "415")},
    )
    def post(self, request, tracking_code):
        registration = self.registration(tracking_code)
        data = self.body()
        if data.get("confirm") is not True:
            raise ApiError(
                status.HTTP_400_BAD_REQUEST,
                error("confirm", "required", _("Tick the box to confirm the withdrawal.")),
            )
        registration = services.withdraw(group=self.group, registration=registration)
        return Response(self.state(registration))


# --- the representative's mobile ---------------------------------------------------------


class MobileChange(AccountAPIView):
    @extend_schema(
        operation_id="account_mobile_change",
        tags=TAG,
        summary="Move the group to a new mobile: a code is sent to it",
        request=MobileRequestSerializer,
        responses={202: NoticeSerializer, **errors("400", "401", "403", "413", "415", "429")},
    )
    def post(self, request):
        data = self.body()
        self.limit("account-mobile-change-ip", settings.ACCOUNT_IP_RATE)
        form = self.form(NewMobileForm, data)
        services.request_mobile_change(
            group=self.group, new_mobile=str(form.cleaned_data["mobile"]), language=self.language
        )
        return Response(
            {
                "detail": _(
                    "A code was sent by SMS to the new mobile. Confirm it to move the group."
                )
            },
            status=status.HTTP_202_ACCEPTED,
        )


class MobileChangeRequestSerializer(MobileRequestSerializer, CodeRequestSerializer):
    pass


class MobileConfirm(AccountAPIView):
    @extend_schema(
        operation_id="account_mobile_confirm",
        tags=TAG,
        summary="Confirm the new mobile with its code",
        description="The group and its registrations move to it; the old number is told by SMS.",
        request=MobileChangeRequestSerializer,
        responses={200: MemberSerializer, **errors("400", "401", "403", "413", "415", "429")},
    )
    def post(self, request):
        data = self.body()
        self.limit("account-mobile-change-ip", settings.ACCOUNT_IP_RATE)
        mobile = str(self.form(NewMobileForm, data).cleaned_data["mobile"])
        code = self.form(CodeForm, data).cleaned_data["code"]
        group = self.group
        services.confirm_mobile_change(group=group, new_mobile=mobile, code=code)
        return Response(member_json(group.member))


# --- co-members ----------------------------------------------------------------------------


class Members(AccountAPIView):
    def can_add(self, group) -> bool:
        return (
            group.is_representative
            and services.co_members(group).count() < settings.ACCOUNT_MAX_CO_MEMBERS
        )

    @extend_schema(
        operation_id="account_members",
        tags=TAG,
        summary="Who can sign in for the group",
        responses={200: MemberListSerializer, **errors("401", "413")},
    )
    def get(self, request):
        group = self.group
        return Response(
            {
                "members": [member_json(m) for m in group.account.members.order_by("created_at")],
                "can_add": self.can_add(group),
            }
        )

    @extend_schema(
        operation_id="account_members_invite",
        tags=TAG,
        summary="Add a co-member: a code is sent to their mobile",
        description=f"The representative only; at most {settings.ACCOUNT_MAX_CO_MEMBERS}.",
        request=InviteRequestSerializer,
        responses={202: InviteSerializer, **errors("400", "401", "403", "413", "415", "429")},
    )
    def post(self, request):
        data = self.body()
        self.limit("account-members-ip", settings.ACCOUNT_IP_RATE)
        form = self.form(CoMemberForm, data)
        invite = services.invite_co_member(
            group=self.group,
            name=form.cleaned_data["name"],
            mobile=str(form.cleaned_data["mobile"]),
            language=self.language,
        )
        return Response(
            {
                "id": invite.pk,
                "name": invite.name,
                "detail": _("A code was sent by SMS to the new member. Confirm it to add them."),
            },
            status=status.HTTP_202_ACCEPTED,
        )


ID = {"type": "integer", "minimum": 1}


class InviteConfirm(AccountAPIView):
    @extend_schema(
        operation_id="account_members_confirm",
        tags=TAG,
        summary="Confirm a co-member with the code sent to their mobile",
        parameters=[OpenApiParameter("invite_id", ID, OpenApiParameter.PATH)],
        request=CodeRequestSerializer,
        responses={
            201: MemberSerializer,
            **errors("400", "401", "403", "404", "413", "415", "429"),
        },
    )
    def post(self, request, invite_id):
        group = self.group
        if (
            not (invite_id.isascii() and invite_id.isdigit())
            or not group.account.invites.filter(pk=int(invite_id)).exists()
        ):
            raise _not_found("invite_id")
        data = self.body()
        self.limit("account-members-ip", settings.ACCOUNT_IP_RATE)
        code = self.form(CodeForm, data).cleaned_data["code"]
        member = services.confirm_co_member(group=group, invite_id=int(invite_id), code=code)
        return Response(member_json(member), status=status.HTTP_201_CREATED)


class MemberRemove(AccountAPIView):
    @extend_schema(
        operation_id="account_members_remove",
        tags=TAG,
        summary="Remove a co-member (the representative only)",
        parameters=[OpenApiParameter("member_id", ID, OpenApiParameter.PATH)],
        request=None,
        responses={204: None, **errors("400", "401", "403", "404", "413", "429")},
    )
    def delete(self, request, member_id):
        group = self.group
        if (
            not (member_id.isascii() and member_id.isdigit())
            or not services.co_members(group).filter(pk=int(member_id)).exists()
        ):
            raise _not_found("member_id")
        self.limit("account-members-ip", settings.ACCOUNT_IP_RATE)
        services.remove_co_member(group=group, member_id=int(member_id))
        return Response(status=status.HTTP_204_NO_CONTENT)
