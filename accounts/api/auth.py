"""How the account API knows the member: a Bearer token from sign-in, or a member's session.

Both only ever yield group members: a token belongs to a member, and a session counts only
if it is a member's (a staff session is not a group's, so the API answers 401 to it). These
classes are used by the account API's views and by the problems API's report and support
(problems.api), so a token opens nothing else (not /admin/).
"""

from django.utils.translation import gettext_lazy as _

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, SessionAuthentication
from rest_framework.exceptions import AuthenticationFailed

from .. import services


KEYWORD = "bearer"


class MemberTokenAuthentication(BaseAuthentication):
    message = _("This token is not valid or has expired. Sign in again.")

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        parts = header.split()
        if not parts or parts[0].lower() != KEYWORD:
            return None
        found = services.token_member(parts[1]) if len(parts) == 2 else None
        if found is None:
            raise AuthenticationFailed(self.message, code="token_invalid")
        member, token = found
        return member.user, token

    def authenticate_header(self, request):
        return 'Bearer realm="account"'


class MemberSessionAuthentication(SessionAuthentication):
    """Django's session, only when it is a group member's; unsafe methods need the CSRF token."""

    def authenticate(self, request):
        user = getattr(request._request, "user", None)
        if user is None or not user.is_active:
            return None
        if services.signed_in_group(request._request) is None:
            return None
        self.enforce_csrf(request)
        return user, None


class MemberTokenScheme(OpenApiAuthenticationExtension):
    target_class = MemberTokenAuthentication
    name = "memberToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "The `token` from `POST /api/account/sign-in/`.",
        }


class MemberSessionScheme(OpenApiAuthenticationExtension):
    target_class = MemberSessionAuthentication
    name = "memberSession"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": "sessionid",
            "description": (
                "A group member's session (`session: true` at sign-in, or /account/); "
                "POST, PATCH and DELETE then need the `X-CSRFToken` header."
            ),
        }
