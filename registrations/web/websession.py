"""Which registrations this browser may continue: the web pages' only proof of ownership.

The web form's confirm, resend and done pages work only for a handle this browser was given
when it sent the form (or asked for a new code for its number). A handle is the public_id
for the browser that registered, and a fresh random one when someone types a number that
is already waiting for its code: that page must never show the owner's public_id, which the
API accepts for resends and codes.

The handles live in a signed cookie rather than the database session: the registration POST
is the hot path of a campaign wave, and a session row would add its queries to every one.
"""

import uuid
from functools import wraps

from django.conf import settings
from django.core import signing

from ..models import Registration


COOKIE = "registrations"
SALT = "registrations.web-handles"
MAX_AGE = 7 * 24 * 3600
KEPT = 10  # handles remembered per browser, newest kept


def _handles(request) -> dict:
    if not hasattr(request, "_registration_handles"):
        try:
            value = signing.loads(request.COOKIES[COOKIE], salt=SALT, max_age=MAX_AGE)
        except (KeyError, signing.BadSignature, ValueError):
            value = {}
        request._registration_handles = value if isinstance(value, dict) else {}
        request._registration_handles_changed = False
    return request._registration_handles


def _set(request, handle: str, entry: dict) -> None:
    handles = _handles(request)
    handles.pop(handle, None)
    handles[handle] = entry
    request._registration_handles = dict(list(handles.items())[-KEPT:])
    request._registration_handles_changed = True


def remember(request, registration: Registration, *, fresh: bool = False) -> str:
    """Give this browser a handle on the registration; returns the handle for the URL."""
    handle = str(uuid.uuid4() if fresh else registration.public_id)
    _set(request, handle, {"pk": registration.pk, "confirmed": False})
    return handle


def registration_for(request, handle, campaign) -> Registration | None:
    """The registration behind this browser's handle, if it belongs to `campaign`."""
    entry = _handles(request).get(str(handle))
    if not isinstance(entry, dict) or not isinstance(entry.get("pk"), int):
        return None
    return Registration.objects.filter(pk=entry["pk"], campaign=campaign).first()


def mark_confirmed(request, handle) -> None:
    entry = _handles(request).get(str(handle))
    if isinstance(entry, dict):
        _set(request, str(handle), {**entry, "confirmed": True})


def confirmed_here(request, handle) -> bool:
    """True only in the browser that confirmed it: the tracking code is shown there alone."""
    entry = _handles(request).get(str(handle))
    return isinstance(entry, dict) and entry.get("confirmed") is True


def keeps_handles(view):
    """Write the handles back to the cookie when the view changed them."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if getattr(request, "_registration_handles_changed", False):
            # signing.dumps gives URL-safe base64: a JSON cookie value is quoted with octal
            # escapes that the requests library sent back mangled (tests/integration caught it).
            response.set_cookie(
                COOKIE,
                signing.dumps(request._registration_handles, salt=SALT, compress=True),
                max_age=MAX_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response

    return wrapper
