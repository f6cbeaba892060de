"""`manage.py check` looks at SMS_BACKEND, so a wrong path stops a deploy, not the first SMS."""

from django.conf import settings
from django.core.checks import Error, Warning
from django.core.exceptions import ImproperlyConfigured

from .backends.base import BACKENDS, backend_class, resolve


def check_backend(app_configs=None, **kwargs):
    name = settings.SMS_BACKEND
    try:
        backend_class(name)
    except ImproperlyConfigured as error:
        return [
            Error(
                f"{error}.",
                hint=f"Use one of {', '.join(BACKENDS)} or the dotted path of a "
                "sms.backends.BaseSmsBackend subclass.",
                obj="settings.SMS_BACKEND",
                id="sms.E001",
            )
        ]
    path, old = resolve(name)
    if not old:
        return []
    short = next((short for short, full in BACKENDS.items() if full == path), None)
    return [
        Warning(
            f"SMS_BACKEND {name!r} names the back-end's old place in registrations.sms.",
            hint=f"Set SMS_BACKEND to {path!r}" + (f" (or {short!r})." if short else "."),
            obj="settings.SMS_BACKEND",
            id="sms.W001",
        )
    ]
