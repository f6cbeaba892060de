"""Content-Security-Policy: strict on the public site, looser where the Wagtail admin needs it.

The public pages load only their own files and run no inline script or style. Wagtail's
admin (and wagtail-localize, wagtailmedia) still write inline scripts and styles in some
editing views, so under `/admin/` the policy allows them; it is otherwise the same.
"""

import ipaddress

from django.conf import settings

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
