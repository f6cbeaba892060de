"""Look-ups every page view repeats whose answers change only when staff change the site itself.

Wagtail answers each of them with queries on every request: which `Site` serves this host
(a query with a CASE ordering and the root page joined) and then its home page, which
`Locale` is active (twice per page: routing and the footer's privacy link), the site
settings with the privacy page, and whether the page or any ancestor is private (two
queries). Together they were a third of the CPU of a page rendered without the page cache
(bench/README.md). Here they come from the cache (Redis in production) instead; nothing is
kept in the process, so every web process sees a change at once.

Publishing content does not change any of these answers, so the first view after a publish
keeps them; each is forgotten only when what it holds changes (a site, its home page, its
settings or privacy page, a locale, a view restriction), now and again once that
transaction commits, so a request racing the change cannot put the old answer back (as
`campaigns.lookup` does).
"""

from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.http.request import split_domain_port


SITES_KEY = "lookups:sites-by-host"
SETTINGS_KEY = "lookups:site-settings"
LOCALES_KEY = "lookups:locales"
RESTRICTED_KEY = "lookups:any-view-restriction"
KEYS = (SITES_KEY, SETTINGS_KEY, LOCALES_KEY, RESTRICTED_KEY)
# A safety net only: every change that matters forgets the entry at once.
CACHE_SECONDS = 60 * 60
# Hosts are remembered up to this many, so requests with made-up Host headers cannot grow it.
MAX_HOSTS = 32


# --- sites ---------------------------------------------------------------------------------
_wagtail_find_site = None


def site_for_request(request: HttpRequest):
    """The `Site` serving this request, as Wagtail would find it.

    Its root page comes as its specific page (the home page), which routing would otherwise
    fetch on every request; any save of that page forgets it.
    """
    host = f"{split_domain_port(request._get_raw_host())[0]}:{request.get_port()}"
    sites = cache.get(SITES_KEY) or {}
    if host in sites:
        return sites[host]
    site = _wagtail_find_site(request)
    if site is not None:
        site.root_page = site.root_page.specific
    if len(sites) < MAX_HOSTS:
        cache.set(SITES_KEY, {**sites, host: site}, CACHE_SECONDS)
    return site


# --- site settings -------------------------------------------------------------------------
def settings_for_site(site, load):
    """The site's settings (with the pages they link), loaded by `load(site)` when not cached."""
    if site is None:
        return load(site)
    found = cache.get(SETTINGS_KEY) or {}
    if site.pk in found:
        return found[site.pk]
    site_settings = load(site)
    cache.set(SETTINGS_KEY, {**found, site.pk: site_settings}, CACHE_SECONDS)
    return site_settings


def _forget_pages_carried(sender, instance, **kwargs) -> None:
    """A saved, moved or deleted page: forget the cached sites and settings that carry it.

    Asked of the database, not of the cache: a request may be filling the cache with the
    page's old row while this transaction is still open.
    """
    from wagtail.models import Site

    from .models import SiteSettings

    if Site.objects.filter(root_page_id=instance.pk).exists():
        forget(SITES_KEY)
    if SiteSettings.objects.filter(privacy_page_id=instance.pk).exists():
        forget(SETTINGS_KEY)


# --- locales -------------------------------------------------------------------------------
def locale_for_language(language_code: str):
    """The `Locale` with this exact language code; raises `Locale.DoesNotExist` like Wagtail."""
    from wagtail.models import Locale

    locales = cache.get(LOCALES_KEY)
    if locales is None:
        locales = {locale.language_code: locale for locale in Locale.objects.all()}
        cache.set(LOCALES_KEY, locales, CACHE_SECONDS)
    try:
        return locales[language_code]
    except KeyError:
        raise Locale.DoesNotExist(f"No locale for language {language_code!r}") from None


def install() -> None:
    """Route Wagtail's site and locale look-ups through the cache.

    Wagtail has no hook or setting for either, so two of its methods are replaced, with the
    same arguments, results and exceptions: `Site._find_for_request` (what
    `Site.find_for_request` calls once per request that needs the site) and
    `Locale.objects.get_for_language` (what `Locale.get_active()` calls on every `.localized`).
    """
    global _wagtail_find_site
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Site
    from wagtail.models.i18n import LocaleManager

    if _wagtail_find_site is None:
        _wagtail_find_site = Site._find_for_request
        Site._find_for_request = staticmethod(site_for_request)

    def get_for_language(self, language_code):
        return locale_for_language(get_supported_content_language_variant(language_code))

    LocaleManager.get_for_language = get_for_language


# --- view restrictions ---------------------------------------------------------------------
def any_view_restriction() -> bool:
    """Whether any page on any site is private (password, login or group restriction)."""
    from wagtail.models import PageViewRestriction

    restricted = cache.get(RESTRICTED_KEY)
    if restricted is None:
        restricted = PageViewRestriction.objects.exists()
        cache.set(RESTRICTED_KEY, restricted, CACHE_SECONDS)
    return restricted


class ViewRestrictionsFromCache:
    """Page mixin: no restriction queries while no page of the site is private.

    Wagtail's `get_view_restrictions` looks up the page's ancestors (for aliases) and then
    their restrictions on every view; with no restriction anywhere, both answers are empty.
    Once any page is private, Wagtail's own check runs for every page.
    """

    def get_view_restrictions(self):
        from wagtail.models import PageViewRestriction

        if not any_view_restriction():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


# --- forgetting ----------------------------------------------------------------------------
def forget(*keys: str) -> None:
    keys = keys or KEYS
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys), robust=True)


def connect_signals() -> None:
    from django.apps import apps
    from django.db.models.signals import post_delete, post_migrate, post_save, pre_delete

    from wagtail.models import Locale, Page, PageViewRestriction, Site
    from wagtail.signals import post_page_move

    from .models import SiteSettings

    def forget_sites(**kwargs):
        # Settings are kept per site: a deleted site takes its settings with it.
        forget(SITES_KEY, SETTINGS_KEY)

    def forget_settings(**kwargs):
        forget(SETTINGS_KEY)

    def forget_locales(**kwargs):
        forget(LOCALES_KEY)

    def forget_restrictions(**kwargs):
        forget(RESTRICTED_KEY)

    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(forget_sites, sender=Site, dispatch_uid=f"lookups-site-{name}", weak=False)
        signal.connect(
            forget_settings,
            sender=SiteSettings,
            dispatch_uid=f"lookups-settings-{name}",
            weak=False,
        )
        signal.connect(
            forget_locales, sender=Locale, dispatch_uid=f"lookups-locale-{name}", weak=False
        )
        signal.connect(
            forget_restrictions,
            sender=PageViewRestriction,
            dispatch_uid=f"lookups-restriction-{name}",
            weak=False,
        )
    # A site's root page or the privacy page: any save (publish, unpublish, draft), move or
    # delete of it.
    for model in apps.get_models():
        if issubclass(model, Page):
            post_save.connect(
                _forget_pages_carried, sender=model, dispatch_uid=f"lookups-page-saved-{model}"
            )
            # Before the delete: by its end, the settings' link to the page is already cleared.
            pre_delete.connect(
                _forget_pages_carried, sender=model, dispatch_uid=f"lookups-page-deleted-{model}"
            )
    post_page_move.connect(_forget_pages_carried, dispatch_uid="lookups-page-moved")
    # The entries are pickled model rows: an upgrade that migrates drops them all.
    post_migrate.connect(
        lambda **kwargs: forget(),
        sender=apps.get_app_config("home"),
        dispatch_uid="lookups-migrated",
        weak=False,
    )
