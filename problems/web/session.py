"""Which mobile this browser has verified, kept in signed cookies (no session row per visitor).

`problems_mobile` holds a signed, expiring token for the verified mobile (from a code or an
SMS link); `problems_check` the pending code check this browser asked for.
"""

from django.conf import settings
from django.core import signing

from .. import services
from ..models import MobileCheck


MOBILE_COOKIE = "problems_mobile"
CHECK_COOKIE = "problems_check"
CHECK_SALT = "problems.check"


def verified_mobile(request):
    token = request.COOKIES.get(MOBILE_COOKIE, "")
    if not token:
        return None
    try:
        return services.mobile_from_token(token)
    except services.LinkInvalid:
        return None


def remember_mobile(response, mobile) -> None:
    response.set_cookie(
        MOBILE_COOKIE,
        services.verified_mobile_token(mobile),
        max_age=settings.SMS_LINK_MAX_AGE,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def pending_check(request) -> MobileCheck | None:
    try:
        public_id = request.get_signed_cookie(CHECK_COOKIE, salt=CHECK_SALT, max_age=3600)
    except (KeyError, signing.BadSignature):
        return None
    return MobileCheck.objects.filter(public_id=public_id).first()


def remember_check(response, check: MobileCheck) -> None:
    response.set_signed_cookie(
        CHECK_COOKIE,
        str(check.public_id),
        salt=CHECK_SALT,
        max_age=3600,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )
