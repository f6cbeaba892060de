"""Full-page cache for anonymous visitors, purged whenever published content changes.

wagtail-cache would be the library for this, but its releases pin `wagtail<8`. This is the
same idea (Django's cache, keyed by URL, filled by Wagtail-served pages only) in one small
middleware, placed right after WhiteNoise so that a hit skips sessions, locale, CSRF and
routing: a cached page costs about what a static file does.

What is never cached: anything but a 200 GET of a Wagtail page (or of a view whose
response says `page_cacheable`, the atlas); responses that set a cookie,
used a CSRF token (forms) or say `Cache-Control: private/no-cache/no-store`; requests that
carry the session cookie (logged-in staff, previews) or an Authorization header, or a query
string other than tracking parameters.

Purging bumps a generation token stored beside the pages: every entry written under an older
token is ignored. One `get_many` fetches the token and the page together. A purge happens
at once and again after the transaction commits, so a request that rendered the old content
between the two cannot keep it.
"""

import gzip
import hashlib
import logging
import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import DisallowedHost
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import cc_delim_re, patch_vary_headers


logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
GENERATION_KEY = "generation"
HIT_HEADER = "X-Page-Cache"
# Parameters added by campaigns and ad platforms; they do not change the page.
IGNORED_PARAMS = ("utm_", "fbclid", "gclid", "yclid", "mc_cid", "mc_eid", "_ga")
SKIP_PREFIXES = ("/admin/", "/api/", "/static/", "/media/", "/documents/", "/sms/", "/s/")
_NEVER = {"private", "no-cache", "no-store"}


def _cache():
    return caches[CACHE_ALIAS]


def cache_key(request: HttpRequest) -> str | None:
    """The cache key for this request, or None when it must not be served from the cache."""
    if settings.PAGE_CACHE_SECONDS <= 0 or request.method not in ("GET", "HEAD"):
        return None
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "HTTP_AUTHORIZATION" in request.META:
        return None
    path = request.path
    if path.startswith(SKIP_PREFIXES):
        return None
    for name in request.GET:
        if not name.startswith(IGNORED_PARAMS):
            return None
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    # Hashed: a URL can be long or hold bytes no cache back-end should see as a key.
    url = f"{request.scheme}://{host}{path}"
    return "page:" + hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    match = request.resolver_match
    # Views outside Wagtail (the atlas) opt in by marking their response `page_cacheable`.
    if match is None or (
        match.url_name != "wagtail_serve" and not getattr(response, "page_cacheable", False)
    ):
        return False
    if request.method != "GET" or response.status_code != 200 or response.streaming:
        return False
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    directives = {
        part.split("=", 1)[0].strip().lower()
        for part in cc_delim_re.split(response.get("Cache-Control", ""))
    }
    return not directives & _NEVER


def _new_generation() -> str:
    return uuid.uuid4().hex


def _generation(found: dict) -> str:
    generation = found.get(GENERATION_KEY)
    if generation is None:
        # Lost (first start, eviction, flush): a fresh token also invalidates every old page.
        generation = _new_generation()
        if not _cache().add(GENERATION_KEY, generation, timeout=None):
            generation = _cache().get(GENERATION_KEY, generation)
    return generation


def _hit(request: HttpRequest, entry: dict) -> HttpResponse:
    accepts_gzip = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
    body = entry["gzip"] if accepts_gzip else entry["body"]
    response = HttpResponse(body, status=200)
    for name, value in entry["headers"]:
        response.headers[name] = value
    if accepts_gzip:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["Content-Length"] = str(len(body))
    response.headers[HIT_HEADER] = "hit"
    return response


def _store(key: str, generation: str, response: HttpResponse) -> None:
    if settings.PAGE_CACHE_BROWSER_SECONDS or settings.WAGTAILFRONTENDCACHE:
        parts = ["public", f"max-age={settings.PAGE_CACHE_BROWSER_SECONDS}"]
        if settings.WAGTAILFRONTENDCACHE:
            # A CDN may keep it as long as we do: publishing purges it there too.
            parts.append(f"s-maxage={settings.PAGE_CACHE_SECONDS}")
        response.headers["Cache-Control"] = ", ".join(parts)
    patch_vary_headers(response, ("Accept-Encoding",))
    body = response.content
    headers = [
        (name, value)
        for name, value in response.items()
        if name.lower() not in ("content-length", "content-encoding", HIT_HEADER.lower())
    ]
    entry = {
        "generation": generation,
        "body": body,
        "gzip": gzip.compress(body, compresslevel=6, mtime=0),
        "headers": headers,
        "stored": time.time(),
    }
    _cache().set(key, entry, timeout=settings.PAGE_CACHE_SECONDS)


class PageCacheMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = cache_key(request)
        if key is None:
            return self.get_response(request)
        found = _cache().get_many([GENERATION_KEY, key])
        generation = request.page_cache_generation = _generation(found)
        entry = found.get(key)
        if entry is not None and entry.get("generation") == generation:
            return _hit(request, entry)
        response = self.get_response(request)
        if _storable(request, response):
            _store(key, generation, response)
            response.headers[HIT_HEADER] = "miss"
        return response


# --- fragments: parts of a page kept between requests that bypass the page cache ----------


def fragment_key(request: HttpRequest | None, *parts) -> str | None:
    """A cache key for a rendered piece of a page, or None when it must be rendered afresh.

    Requests the page cache cannot serve (staff with a session, a query string) still
    render the page, but its costly, visitor-independent pieces (a campaign's body, the
    footer) come from here. Keys carry the page cache's generation, so the same purge that
    empties the page cache on every publish or media change retires them too. Previews
    (drafts, revisions) never use or fill it.
    """
    if settings.PAGE_CACHE_SECONDS <= 0 or request is None or getattr(request, "is_preview", False):
        return None
    generation = getattr(request, "page_cache_generation", None)
    if generation is None:
        generation = request.page_cache_generation = _generation(
            {GENERATION_KEY: _cache().get(GENERATION_KEY)}
        )
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    described = "|".join(str(part) for part in (host, translation.get_language(), *parts))
    return f"fragment:{generation}:" + hashlib.sha256(described.encode()).hexdigest()


def cached_fragment(key: str | None, render: Callable[[], str]) -> str:
    """The fragment stored under `key`, rendered (and stored) first when missing."""
    if key is None:
        return render()
    html = _cache().get(key)
    if html is None:
        html = render()
        _cache().set(key, html, timeout=settings.PAGE_CACHE_SECONDS)
    return html


def purge(reason: str = "") -> None:
    """Forget every cached page, now and again once the current transaction commits.

    Every page is purged, not just the one published: the home page shows the featured
    campaign, and settings and images appear on many pages. A campaign site has few pages.
    """
    _bump(reason)
    transaction.on_commit(lambda: _bump(reason), robust=True)
    if settings.WAGTAILFRONTENDCACHE:
        transaction.on_commit(purge_frontend_cache, robust=True)


def purge_frontend_cache() -> None:
    """Ask the configured CDN or proxy to drop every live page (Wagtail's frontend cache)."""
    from wagtail.contrib.frontend_cache.utils import PurgeBatch
    from wagtail.models import Page

    batch = PurgeBatch()
    batch.add_pages(Page.objects.live().public().specific().filter(depth__gt=1))
    batch.purge()


def _bump(reason: str) -> None:
    _cache().set(GENERATION_KEY, _new_generation(), timeout=None)
    logger.info("page cache purged (%s)", reason or "content changed")


def _on_change(sender, instance=None, **kwargs):
    purge(f"{sender._meta.label} changed")


def connect_signals() -> None:
    """Purge on publish, unpublish, move and delete of pages, and on changes to what pages show."""
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting
    from wagtail.images.models import AbstractImage
    from wagtail.models import Locale, Page, PageViewRestriction, Site
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move
    from wagtailmedia.models import AbstractMedia

    for model in apps.get_models():
        if issubclass(model, Page):
            page_published.connect(_on_change, sender=model, dispatch_uid=f"pagecache-pub-{model}")
            page_unpublished.connect(
                _on_change, sender=model, dispatch_uid=f"pagecache-unpub-{model}"
            )
            post_delete.connect(_on_change, sender=model, dispatch_uid=f"pagecache-del-{model}")
        elif issubclass(
            model,
            BaseSiteSetting | BaseGenericSetting | AbstractImage | AbstractMedia | Site | Locale,
        ):
            post_save.connect(_on_change, sender=model, dispatch_uid=f"pagecache-save-{model}")
            post_delete.connect(_on_change, sender=model, dispatch_uid=f"pagecache-del-{model}")
    # A page made private (or public again) must stop (or start) being served to everyone.
    post_save.connect(_on_change, sender=PageViewRestriction, dispatch_uid="pagecache-restrict")
    post_delete.connect(_on_change, sender=PageViewRestriction, dispatch_uid="pagecache-unrestrict")
    post_page_move.connect(_on_change, dispatch_uid="pagecache-move")
    page_slug_changed.connect(_on_change, dispatch_uid="pagecache-slug")
