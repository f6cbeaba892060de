"""Content-Security-Policy: strict on the public site, looser where the Wagtail admin needs it.

The public pages load only their own files and run no inline script or style. Wagtail's
admin (and wagtail-localize, wagtailmedia) still write inline scripts and styles in some
editing views, so under `/admin/` the policy allows them; it is otherwise the same.
"""

import ipaddress

from django.conf import settings
from django.http import JsonResponse
from django.utils.translation import gettext as _

from csp.middleware import CSPMiddleware, PolicyParts


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if request.path_info.startswith(settings.ADMIN_CSP_PREFIXES):
            parts.replace = {**settings.ADMIN_CSP_REPLACE, **(parts.replace or {})}
        return parts


# Where no usable address is known: every such request counts against one shared bucket
# (an address no real client has), so garbage in the header never exempts a request.
SHARED_BUCKET = "0.0.0.0"  # noqa: S104 - a rate-limit key, nothing listens on it


def client_ip(request) -> str:
    """The visitor's address for rate limits and login lockouts, always a valid IP.

    Read from CLIENT_IP_META_KEY (a trusted proxy's header) or REMOTE_ADDR. A list (as in
    X-Forwarded-For) counts by its last address, the one the nearest proxy added; earlier
    ones are whatever the client sent. Anything that is not an address is SHARED_BUCKET.
    """
    key = getattr(settings, "CLIENT_IP_META_KEY", None) or "REMOTE_ADDR"
    value = request.META.get(key) or ""
    candidate = value.rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return SHARED_BUCKET


class RefuseNulInQueryMiddleware:
    """Under /api/, a NUL character in the query string answers 400, before any view reads it.

    PostgreSQL refuses NUL in any text it is given, so `?search=%00` reached Wagtail's API
    filters as a server error; no client needs one. (Pages already treat it as odd input, the
    site search drops it; form bodies are checked by the fields, the API's JSON by its parser.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith("/api/") and any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            message = _("The address holds characters that are not valid text (such as NUL).")
            return JsonResponse(
                {"errors": [{"field": None, "code": "invalid_text", "message": message}]},
                status=400,
            )
        return self.get_response(request)
