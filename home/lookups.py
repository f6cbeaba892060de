"""The site and locale look-ups Wagtail repeats on every page request, kept in the cache.

Each page request asks the database which `Site` serves its host (a query Django has to
compile with several annotations), then the site's root page, and which `Locale` the active
language is, once for routing and again for every `.localized` page. They change only when
an administrator edits sites or languages, so they are cached (shared by every process),
forgotten when a `Site` or `Locale` is saved or deleted, and otherwise kept for five
minutes. Wagtail itself offers the hook for sites: it reads the site from
`request._wagtail_site` when set. For locales it offers none, so `LocaleManager.get_for_language`
is wrapped (see `cache_locale_lookups`).
"""

from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.http.request import split_domain_port

from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Site
from wagtail.models.i18n import LocaleManager


CACHE_SECONDS = 300
SITES_VERSION_KEY = "lookups:sites-version"
_NO_SITE = "none"  # cached when no site matches (Wagtail then answers 404)


def _sites_version() -> int:
    version = cache.get(SITES_VERSION_KEY)
    if version is None:
        version = 1
        cache.add(SITES_VERSION_KEY, version, timeout=None)
    return version


def site_for_request(request: HttpRequest) -> Site | None:
    """What `Site.find_for_request` finds, with its root page loaded, from the cache."""
    hostname = split_domain_port(request._get_raw_host())[0]
    key = f"lookups:site:{_sites_version()}:{hostname}:{request.get_port()}"
    site = cache.get(key)
    if site is None:
        site = Site._find_for_request(request)
        if site is not None:
            site.root_page  # noqa: B018 - loaded now, so routing needs no query for it
        cache.set(key, site or _NO_SITE, CACHE_SECONDS)
    return None if site == _NO_SITE else site


class SiteMiddleware:
    """Hands Wagtail the request's site from the cache (Wagtail reads `_wagtail_site`)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request._wagtail_site = site_for_request(request)
        return self.get_response(request)


def _locale_key(language_code: str) -> str:
    return f"lookups:locale:{language_code}"


def cache_locale_lookups() -> None:
    """Serve `Locale.objects.get_for_language` (behind `Locale.get_active()`) from the cache."""
    original = LocaleManager.get_for_language
    if getattr(original, "cached", False):
        return

    def get_for_language(self, language_code):
        # Wagtail resolves "fa-IR" to "fa" first; the key is what it resolves to.
        code = get_supported_content_language_variant(language_code)
        locale = cache.get(_locale_key(code))
        if locale is None:
            locale = original(self, code)
            cache.set(_locale_key(code), locale, CACHE_SECONDS)
        return locale

    get_for_language.cached = True
    LocaleManager.get_for_language = get_for_language


def forget_sites(**kwargs) -> None:
    try:
        cache.incr(SITES_VERSION_KEY)
    except ValueError:
        cache.set(SITES_VERSION_KEY, 2, timeout=None)


def forget_locale(sender, instance, **kwargs) -> None:
    cache.delete(_locale_key(instance.language_code))


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    post_save.connect(forget_sites, sender=Site, dispatch_uid="lookups-site-saved")
    post_delete.connect(forget_sites, sender=Site, dispatch_uid="lookups-site-deleted")
    post_save.connect(forget_locale, sender=Locale, dispatch_uid="lookups-locale-saved")
    post_delete.connect(forget_locale, sender=Locale, dispatch_uid="lookups-locale-deleted")
