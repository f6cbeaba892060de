"""django-otp's OTPMiddleware, with request.user lazy only once.

OTPMiddleware wraps AuthenticationMiddleware's lazy request.user in a second lazy object.
Wagtail's audit log looks through one level of laziness to find the model of what is
logged (`log(request.user, ...)`, as the account page does on every save), so behind two
levels it found no log model and silently logged nothing. Here the inner lazy user is
resolved first, so request.user stays a single lazy object around the real user.
"""

from django.utils.functional import LazyObject, empty

from django_otp.middleware import OTPMiddleware as BaseOTPMiddleware


class OTPMiddleware(BaseOTPMiddleware):
    def _verify_user_sync(self, request, user):
        if isinstance(user, LazyObject):
            if user._wrapped is empty:
                user._setup()
            user = user._wrapped
        return super()._verify_user_sync(request, user)
