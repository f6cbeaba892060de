"""Content-Security-Policy: strict on the public site, looser where the Wagtail admin needs it.

The public pages load only their own files and run no inline script or style. Wagtail's
admin (and wagtail-localize, wagtailmedia) still write inline scripts and styles in some
editing views, so under `/admin/` the policy allows them; it is otherwise the same.
"""

from django.conf import settings

from csp.middleware import CSPMiddleware, PolicyParts


class SiteCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if request.path_info.startswith(settings.ADMIN_CSP_PREFIXES):
            parts.replace = {**settings.ADMIN_CSP_REPLACE, **(parts.replace or {})}
        return parts


def client_ip(request) -> str:
    """The visitor's address for login lockouts: the same header the rate limits trust."""
    key = settings.RATELIMIT_IP_META_KEY or "REMOTE_ADDR"
    value = request.META.get(key) or request.META.get("REMOTE_ADDR", "")
    return value.split(",")[0].strip()
