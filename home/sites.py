"""The default Wagtail Site kept in step with PUBLIC_BASE_URL.

Wagtail builds every absolute page URL (API v2's `meta.html_url`, sitemap.xml, the admin's
"view live") from the Site's hostname and port, not from a setting; a Site left at
`localhost:80` hands clients addresses that do not answer. (A Site has no scheme: Wagtail
takes port 443 as https and any other port as http, so https belongs on port 443.)
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from wagtail.models import Site


DEFAULT_PORTS = {"http": 80, "https": 443}


def public_host_and_port(base_url: str) -> tuple[str, int]:
    """(`example.org`, 443) for `https://example.org/`; refuses what is no site address."""
    parts = urlsplit(base_url)
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
        raise ImproperlyConfigured(
            f"PUBLIC_BASE_URL must be http(s)://host[:port], not {base_url!r}"
        )
    return parts.hostname, parts.port or DEFAULT_PORTS[parts.scheme]


def sync_default_site(base_url: str | None = None) -> tuple[Site, bool]:
    """Give the default Site the host and port of `base_url` (PUBLIC_BASE_URL); changed?"""
    hostname, port = public_host_and_port(base_url or settings.PUBLIC_BASE_URL)
    site = Site.objects.get(is_default_site=True)
    if (site.hostname, site.port) == (hostname, port):
        return site, False
    site.hostname, site.port = hostname, port
    # Site.save() clears Wagtail's cached site root paths itself.
    site.save(update_fields=["hostname", "port"])
    return site, True
