"""Cache-backed rate limits shared by the web form and the API (django-ratelimit underneath)."""

from django.core.exceptions import ImproperlyConfigured

from django_ratelimit.core import is_ratelimited

from persian.phones import digits_key


def mobile_key(value):
    """A django-ratelimit key function counting per mobile number."""
    digits = digits_key(value)
    return lambda group, request: digits


def _no_address(group, request):
    return "no-address"


def hit(request, *, group: str, rate: str, key="ip") -> bool:
    """Count this request against `rate`; True when it is over the limit.

    A request without a client address (REMOTE_ADDR empty or missing, or no proxy header
    named by RATELIMIT_IP_META_KEY) makes django-ratelimit raise: such requests share one
    counter rather than fail.
    """
    try:
        return is_ratelimited(request, group=group, key=key, rate=rate, increment=True)
    except (KeyError, ImproperlyConfigured):
        return is_ratelimited(request, group=group, key=_no_address, rate=rate, increment=True)
