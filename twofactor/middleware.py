"""django-otp's OTPMiddleware, with request.user lazy only once.

OTPMiddleware wraps AuthenticationMiddleware's lazy request.user in a second lazy object.
Wagtail's audit log looks through one level of laziness to find the model of what is
logged (`log(request.user, ...)`, as the account page does on every save), so behind two
levels it found no log model and silently logged nothing. Here the inner lazy user is
resolved first, so request.user stays a single lazy object around the real user.
Read against django-otp 1.7.5: tests/sitecache/test_overrides.py fails when it changes.
"""

from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.functional import LazyObject, empty

from django_otp.middleware import OTPMiddleware as BaseOTPMiddleware

from . import devices


ADMIN_PATH = "/admin/"


class OTPMiddleware(BaseOTPMiddleware):
    def _verify_user_sync(self, request, user):
        if isinstance(user, LazyObject):
            if user._wrapped is empty:
                user._setup()
            user = user._wrapped
        return super()._verify_user_sync(request, user)


class SignOutUnverifiedSessions:
    """Signs out an admin session that has not given a code although its user must.

    A session signed in before its user turned two-factor sign-in on (on another browser,
    or one stolen) never gave a code. At its next admin request it is sent to the sign-in
    page, so turning two-factor on ends every other session of that account.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            request.path.startswith(ADMIN_PATH)
            and user.is_authenticated
            and not user.is_verified()
            and devices.has_two_factor(user)
        ):
            logout(request)
            return redirect_to_login(request.get_full_path(), reverse("wagtailadmin_login"))
        return self.get_response(request)
