"""Cache-backed rate limits shared by the web form and the API (django-ratelimit underneath)."""

from django_ratelimit.core import is_ratelimited

from persian.phones import digits_key


def mobile_key(value):
    """A django-ratelimit key function counting per mobile number."""
    digits = digits_key(value)
    return lambda group, request: digits


def hit(request, *, group: str, rate: str, key="ip") -> bool:
    """Count this request against `rate`; True when it is over the limit.

    The "ip" key is settings.RATELIMIT_IP_META_KEY's function (config.security.client_ip):
    a request without a usable address counts in one shared bucket instead of failing.
    """
    return is_ratelimited(request, group=group, key=key, rate=rate, increment=True)
