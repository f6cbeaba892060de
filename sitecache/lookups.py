"""Look-ups every page view repeats whose answers change only when staff change the site itself.

Wagtail answers each of them with queries on every request: which `Site` serves this host
(a query with a CASE ordering and the root page joined) and then its home page, which
`Locale` is active (twice per page: routing and the footer's privacy link), the site
settings with the privacy page, and whether the page or any ancestor is private (two
queries). Together they were a third of the CPU of a page rendered without the page cache
(bench/README.md). Here they come from the cache (Redis in production) instead; nothing is
kept in the process, so every web process sees a change at once.

Entries are plain data (each model row as its field names and values, rebuilt with
`Model.from_db`), under keys that carry VERSION: a process running other code never unpickles
a model instance of another shape, and a row whose fields differ from the running model's is
treated as missing.

Publishing content does not change any of these answers, so the first view after a publish
keeps them; each is forgotten only when what it holds changes (a site, its home page, its
settings or privacy page, a locale, a view restriction), now and again once that
transaction commits, so a request racing the change cannot put the old answer back (as
`campaigns.lookup` does).
"""

from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest
from django.http.request import split_domain_port


# Bump when the shape of an entry changes; old entries are then never read.
VERSION = 2
SITES_KEY = f"lookups:v{VERSION}:sites-by-host"
SETTINGS_KEY = f"lookups:v{VERSION}:site-settings"
LOCALES_KEY = f"lookups:v{VERSION}:locales"
RESTRICTED_KEY = f"lookups:v{VERSION}:any-view-restriction"
KEYS = (SITES_KEY, SETTINGS_KEY, LOCALES_KEY, RESTRICTED_KEY)
# A safety net only: every change that matters forgets the entry at once.
CACHE_SECONDS = 60 * 60
# Hosts are remembered up to this many, so requests with made-up Host headers cannot grow it.
MAX_HOSTS = 32


# --- rows as plain data --------------------------------------------------------------------
def _names(model) -> tuple[str, ...]:
    return tuple(field.attname for field in model._meta.concrete_fields)


def to_row(instance) -> tuple[str, tuple[str, ...], tuple]:
    """(model label, field names, values): a model instance as data any process can read."""
    names = _names(type(instance))
    return (type(instance)._meta.label, names, tuple(getattr(instance, n) for n in names))


def from_row(row):
    """The instance back, as if loaded from the database; None if the model changed shape."""
    label, names, values = row
    try:
        model = apps.get_model(label)
    except LookupError:
        return None
    if _names(model) != tuple(names):
        return None
    return model.from_db("default", list(names), list(values))


class _Miss(Exception):
    pass


def _load(row):
    instance = from_row(row)
    if instance is None:
        raise _Miss
    return instance


# --- sites ---------------------------------------------------------------------------------
_wagtail_find_site = None


def _site_entry(site):
    if site is None:
        return None
    return {"site": to_row(site), "root": to_row(site.root_page)}


def _site_from(entry):
    if entry is None:
        return None
    site = _load(entry["site"])
    site.root_page = _load(entry["root"])
    return site


def site_for_request(request: HttpRequest):
    """The `Site` serving this request, as Wagtail would find it.

    Its root page comes as its specific page (the home page), which routing would otherwise
    fetch on every request; any save of that page forgets it.
    """
    host = f"{split_domain_port(request._get_raw_host())[0]}:{request.get_port()}"
    sites = cache.get(SITES_KEY) or {}
    if host in sites:
        try:
            return _site_from(sites[host])
        except _Miss:
            pass
    site = _wagtail_find_site(request)
    if site is not None:
        site.root_page = site.root_page.specific
    if len(sites) < MAX_HOSTS or host in sites:
        cache.set(SITES_KEY, {**sites, host: _site_entry(site)}, CACHE_SECONDS)
    return site


# --- site settings -------------------------------------------------------------------------
_settings_models: list = []


def _settings_entry(site_settings):
    related = {
        name: (to_row(value) if (value := getattr(site_settings, name)) is not None else None)
        for name in site_settings.select_related or ()
    }
    return {"settings": to_row(site_settings), "related": related}


def _settings_from(entry):
    site_settings = _load(entry["settings"])
    for name, row in entry["related"].items():
        setattr(site_settings, name, _load(row) if row is not None else None)
    return site_settings


def settings_for_site(site, load):
    """The site's settings (with the pages they link), loaded by `load(site)` when not cached.

    For a `BaseSiteSetting` registered with `watch_settings`, whose `for_site` calls this.
    """
    if site is None:
        return load(site)
    found = cache.get(SETTINGS_KEY) or {}
    if site.pk in found:
        try:
            return _settings_from(found[site.pk])
        except _Miss:
            pass
    site_settings = load(site)
    cache.set(SETTINGS_KEY, {**found, site.pk: _settings_entry(site_settings)}, CACHE_SECONDS)
    return site_settings


def watch_settings(model) -> None:
    """Forget the cached settings when `model` or a page its `select_related` links changes."""
    from django.db.models.signals import post_delete, post_save

    if model in _settings_models:
        return
    _settings_models.append(model)
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            _forget_settings,
            sender=model,
            dispatch_uid=f"lookups-settings-{model._meta.label}-{name}",
            weak=False,
        )


def _forget_settings(**kwargs) -> None:
    forget(SETTINGS_KEY)


def _forget_pages_carried(sender, instance, **kwargs) -> None:
    """A saved, moved or deleted page: forget the cached sites and settings that carry it.

    Asked of the database, not of the cache: a request may be filling the cache with the
    page's old row while this transaction is still open.
    """
    from wagtail.models import Site

    if Site.objects.filter(root_page_id=instance.pk).exists():
        forget(SITES_KEY)
    for model in _settings_models:
        links = {f"{name}_id": instance.pk for name in model.select_related or ()}
        if any(model.objects.filter(**{name: pk}).exists() for name, pk in links.items()):
            forget(SETTINGS_KEY)
            return


# --- locales -------------------------------------------------------------------------------
def locale_for_language(language_code: str):
    """The `Locale` with this exact language code; raises `Locale.DoesNotExist` like Wagtail."""
    from wagtail.models import Locale

    rows = cache.get(LOCALES_KEY)
    locales = None
    if rows is not None:
        try:
            locales = {code: _load(row) for code, row in rows.items()}
        except _Miss:
            locales = None
    if locales is None:
        locales = {locale.language_code: locale for locale in Locale.objects.all()}
        cache.set(
            LOCALES_KEY, {code: to_row(locale) for code, locale in locales.items()}, CACHE_SECONDS
        )
    try:
        return locales[language_code]
    except KeyError:
        raise Locale.DoesNotExist(f"No locale for language {language_code!r}") from None


def install() -> None:
    """Route Wagtail's site and locale look-ups through the cache.

    Wagtail 8.0 has no hook or setting for either, so two of its methods are replaced, with
    the same arguments, results and exceptions: `Site._find_for_request` (what
    `Site.find_for_request` calls once per request that needs the site) and
    `LocaleManager.get_for_language` (what `Locale.get_active()` calls on every
    `.localized`). Measured: a third of an uncached page's CPU (bench/README.md, run F).
    tests/sitecache/test_overrides.py fails when Wagtail's version changes: re-read both
    methods in the new release before moving the pin.
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

    Overrides Wagtail 8.0's `Page.get_view_restrictions`, which looks up the page's ancestors
    (for aliases) and then their restrictions on every view (two queries); with no
    restriction anywhere both answers are empty. Once any page is private, Wagtail's own
    check runs for every page.
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
    from django.db.models.signals import post_delete, post_save, pre_delete

    from wagtail.models import Locale, Page, PageViewRestriction, Site
    from wagtail.signals import post_page_move

    def forget_sites(**kwargs):
        # Settings are kept per site: a deleted site takes its settings with it.
        forget(SITES_KEY, SETTINGS_KEY)

    def forget_locales(**kwargs):
        forget(LOCALES_KEY)

    def forget_restrictions(**kwargs):
        forget(RESTRICTED_KEY)

    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(forget_sites, sender=Site, dispatch_uid=f"lookups-site-{name}", weak=False)
        signal.connect(
            forget_locales, sender=Locale, dispatch_uid=f"lookups-locale-{name}", weak=False
        )
        signal.connect(
            forget_restrictions,
            sender=PageViewRestriction,
            dispatch_uid=f"lookups-restriction-{name}",
            weak=False,
        )
    # A site's root page or a page the settings link: any save (publish, unpublish, draft),
    # move or delete of it.
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
    # A migration may change any of these rows in bulk: an upgrade that migrates drops them.
    from django.db.models.signals import post_migrate

    post_migrate.connect(
        lambda **kwargs: forget(),
        sender=apps.get_app_config("sitecache"),
        dispatch_uid="lookups-migrated",
        weak=False,
    )
