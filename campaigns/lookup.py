"""Published campaigns by language and slug, kept in the cache between publishes.

Every registration (web form, API, inbound SMS) starts by finding its campaign and the
campaign's extra questions. A site has a handful of campaigns, so all of them are cached
together under one key and forgotten whenever any campaign page is published, unpublished,
moved or deleted (now, and again once that transaction commits, so a request racing the
publish cannot put the old version back).
"""

from django.core.cache import cache
from django.db import transaction

from .models import CampaignPage


CACHE_KEY = "campaigns:live-by-language-and-slug"
CACHE_SECONDS = 300


def live_campaigns() -> dict[tuple[str, str], CampaignPage]:
    """Every published, public campaign page, keyed by (language code, slug)."""
    campaigns = cache.get(CACHE_KEY)
    if campaigns is None:
        pages = (
            CampaignPage.objects.live()
            .public()
            .select_related("locale")
            .prefetch_related("form_fields")
        )
        campaigns = {(page.locale.language_code, page.slug): page for page in pages}
        cache.set(CACHE_KEY, campaigns, CACHE_SECONDS)
    return campaigns


def forget(**kwargs) -> None:
    cache.delete(CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(CACHE_KEY), robust=True)


def connect_signals() -> None:
    from django.db.models.signals import post_delete, post_save

    from wagtail.models import PageViewRestriction
    from wagtail.signals import page_published, page_slug_changed, page_unpublished, post_page_move

    for name, signal in (
        ("published", page_published),
        ("unpublished", page_unpublished),
        ("deleted", post_delete),
    ):
        signal.connect(forget, sender=CampaignPage, dispatch_uid=f"campaign-lookup-{name}")
    # Only public campaigns take registrations: a view restriction changes which those are.
    post_save.connect(forget, sender=PageViewRestriction, dispatch_uid="campaign-lookup-restricted")
    post_delete.connect(forget, sender=PageViewRestriction, dispatch_uid="campaign-lookup-opened")
    post_page_move.connect(forget, dispatch_uid="campaign-lookup-moved")
    page_slug_changed.connect(forget, dispatch_uid="campaign-lookup-slug-changed")
