"""Sites and locales come from the cache, and an administrator's change reaches the next request."""

from wagtail.models import Locale, Page, Site

import pytest

from tests.factories import CampaignPageFactory


pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def uncached(settings):
    settings.PAGE_CACHE_SECONDS = 0


def test_a_new_site_for_another_host_serves_its_own_root_at_once(client, demo, home_page):
    client.get("/nehzat/")  # the default site is cached for this host
    other_root = home_page.add_child(instance=Page(title="سایت دیگر", slug="other-root"))
    other_root.save_revision().publish()
    Site.objects.create(hostname="testserver", port=80, root_page=other_root)

    # The new site is more specific for this host: Wagtail now routes under other-root.
    assert client.get("/nehzat/").status_code == 404


def test_changing_the_default_sites_root_takes_effect_at_once(client, demo):
    assert client.get("/nehzat/").status_code == 200
    site = Site.objects.get(is_default_site=True)
    site.root_page = demo
    site.save()

    # The campaign is the root now: it answers at "/", and "/nehzat/" is no page.
    assert "با هدف تقویت تعاملات اجتماعی" in client.get("/").content.decode()
    assert client.get("/nehzat/").status_code == 404


def test_saving_a_locale_forgets_its_cached_copy(demo):
    from django.core.cache import cache

    english = Locale.objects.get_for_language("en")
    assert cache.get("lookups:locale:en") == english
    english.save()
    assert cache.get("lookups:locale:en") is None
    assert Locale.objects.get_for_language("en") == english


def test_the_cached_locale_is_the_right_one_for_each_language(demo):
    assert Locale.objects.get_for_language("fa").language_code == "fa"
    assert Locale.objects.get_for_language("en").language_code == "en"
    # Twice: the second time from the cache.
    assert Locale.objects.get_for_language("fa").language_code == "fa"
    assert Locale.objects.get_for_language("en").language_code == "en"


def test_campaigns_added_later_are_routed(client, demo, home_page):
    client.get("/nehzat/")
    CampaignPageFactory(parent=home_page, slug="tazeh", title="کمپین تازه")
    assert client.get("/tazeh/").status_code == 200
