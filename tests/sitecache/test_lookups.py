"""Sites, locales and view restrictions come from the cache, and never a stale answer.

`sitecache.lookups` spares every page view Wagtail's site, locale and restriction queries. Each
test warms the cached answer first, changes what it depends on, and checks what the next
visitor sees. The page cache is off, so every response here is rendered.
"""

from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.models import Locale, Page, PageViewRestriction, Site

import pytest

from home.models import ContentPage, HomePage


pytestmark = pytest.mark.django_db

CAMPAIGN_TEXT = "با هدف تقویت تعاملات اجتماعی"


@pytest.fixture(autouse=True)
def page_cache_off(settings):
    settings.PAGE_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def more_hosts(settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "second.example", "third.example"]


@pytest.fixture
def other_root(home_page, fa_locale):
    """A second site root beside the demo's home page, with one content page under it."""
    root = Page.get_first_root_node()
    other = root.add_child(instance=HomePage(title="سایت دوم", slug="second", locale=fa_locale))
    other.add_child(
        instance=ContentPage(
            title="دربارهٔ سایت دوم", slug="about", locale=fa_locale, body="<p>سایت دوم</p>"
        )
    )
    return other


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- sites -------------------------------------------------------------------------------
def test_a_page_view_asks_the_database_for_no_site_or_locale_once_warm(client, demo):
    client.get("/nehzat/")
    with CaptureQueriesContext(connection) as queries:
        assert CAMPAIGN_TEXT in _text(client.get("/nehzat/"))
    sql = " ".join(query["sql"] for query in queries.captured_queries)
    assert 'FROM "wagtailcore_site"' not in sql
    assert 'FROM "wagtailcore_locale"' not in sql
    assert "wagtailcore_pageviewrestriction" not in sql
    # Wagtail's look-up of the ancestors (for aliases) before it checks their restrictions:
    assert 'SELECT "wagtailcore_page"."id", "wagtailcore_page"."alias_of_id" FROM' not in sql


def test_a_new_site_for_another_host_is_served_at_once(client, demo, other_root):
    assert CAMPAIGN_TEXT in _text(client.get("/nehzat/", HTTP_HOST="second.example"))

    Site.objects.create(hostname="second.example", root_page=other_root, site_name="دوم")

    assert "دربارهٔ سایت دوم" in _text(client.get("/about/", HTTP_HOST="second.example"))
    assert client.get("/nehzat/", HTTP_HOST="second.example").status_code == 404
    # The default site still serves every other host.
    assert CAMPAIGN_TEXT in _text(client.get("/nehzat/"))


def test_a_site_given_another_root_page_serves_it_at_once(client, demo, other_root):
    assert CAMPAIGN_TEXT in _text(client.get("/nehzat/"))

    site = Site.objects.get(is_default_site=True)
    site.root_page = other_root
    site.save()

    assert "دربارهٔ سایت دوم" in _text(client.get("/about/"))
    assert client.get("/nehzat/").status_code == 404


def test_a_site_whose_host_name_changes_stops_serving_the_old_name(client, demo, other_root):
    site = Site.objects.create(hostname="second.example", root_page=other_root, site_name="دوم")
    assert "دربارهٔ سایت دوم" in _text(client.get("/about/", HTTP_HOST="second.example"))

    site.hostname = "third.example"
    site.save()

    assert CAMPAIGN_TEXT in _text(client.get("/nehzat/", HTTP_HOST="second.example"))
    assert "دربارهٔ سایت دوم" in _text(client.get("/about/", HTTP_HOST="third.example"))


def test_a_deleted_site_is_no_longer_used(client, demo, other_root):
    site = Site.objects.create(hostname="second.example", root_page=other_root, site_name="دوم")
    assert "دربارهٔ سایت دوم" in _text(client.get("/about/", HTTP_HOST="second.example"))

    site.delete()

    assert CAMPAIGN_TEXT in _text(client.get("/nehzat/", HTTP_HOST="second.example"))


def test_the_home_page_edited_and_published_shows_at_once(client, demo, home_page):
    """The cached site carries the home page itself; publishing it must not leave it stale."""
    assert "خوش آمدید به نسخهٔ تازه" not in _text(client.get("/"))

    home_page.intro = "<p>خوش آمدید به نسخهٔ تازه</p>"
    home_page.save_revision().publish()

    assert "خوش آمدید به نسخهٔ تازه" in _text(client.get("/"))
    assert CAMPAIGN_TEXT in _text(client.get("/nehzat/"))


def test_made_up_host_headers_do_not_grow_the_cached_sites(client, demo, settings):
    from django.core.cache import cache

    from sitecache import lookups

    settings.ALLOWED_HOSTS = ["*"]
    for n in range(lookups.MAX_HOSTS + 10):
        client.get("/nehzat/", HTTP_HOST=f"host{n}.example")
    assert len(cache.get(lookups.SITES_KEY)) == lookups.MAX_HOSTS
    # Hosts beyond the limit are still served, by a look-up of their own.
    assert CAMPAIGN_TEXT in _text(client.get("/nehzat/", HTTP_HOST="late.example"))


# --- site settings -------------------------------------------------------------------------
def _footer(client) -> str:
    return _text(client.get("/nehzat/")).split('<footer class="site-footer">', 1)[1]


@pytest.fixture
def privacy_page(demo, home_page):
    from home.models import SiteSettings

    return SiteSettings.for_site(Site.objects.get(is_default_site=True)).privacy_page.specific


def test_edited_footer_text_shows_at_once(client, demo):
    from home.models import SiteSettings

    _footer(client)
    site_settings = SiteSettings.objects.get(site__is_default_site=True)
    site_settings.footer_text = "پانویس تازه"
    site_settings.save()

    assert "پانویس تازه" in _footer(client)


def test_a_renamed_privacy_page_is_linked_by_its_new_title_and_address(client, privacy_page):
    assert 'href="/privacy/"' in _footer(client)

    privacy_page.title = "حریم خصوصی شما"
    privacy_page.slug = "your-privacy"
    privacy_page.save_revision().publish()

    footer = _footer(client)
    assert "حریم خصوصی شما" in footer
    assert 'href="/your-privacy/"' in footer


def test_a_deleted_privacy_page_leaves_the_footer(client, privacy_page):
    assert 'href="/privacy/"' in _footer(client)

    privacy_page.delete()

    assert 'href="/privacy/"' not in _footer(client)


def test_another_privacy_page_chosen_is_linked_at_once(client, privacy_page, other_root):
    from home.models import SiteSettings

    _footer(client)
    site_settings = SiteSettings.objects.get(site__is_default_site=True)
    site_settings.privacy_page = other_root.get_children().get()
    site_settings.save()

    assert "دربارهٔ سایت دوم" in _footer(client)


# --- locales ------------------------------------------------------------------------------
def test_the_active_locale_comes_from_the_cache(fa_locale):
    Locale.get_active()
    with CaptureQueriesContext(connection) as queries:
        assert Locale.get_active() == fa_locale
        assert (
            Locale.objects.get_for_language("fa-IR") == fa_locale
        )  # a variant, as Wagtail maps it
    assert len(queries) == 0


@pytest.fixture
def german_is_a_content_language(settings):
    settings.LANGUAGES = [*settings.LANGUAGES, ("de", "Deutsch")]
    settings.WAGTAIL_CONTENT_LANGUAGES = settings.LANGUAGES


def test_a_deleted_locale_is_not_found_and_a_new_one_is(german_is_a_content_language):
    german = Locale.objects.create(language_code="de")
    assert Locale.objects.get_for_language("de") == german

    german.delete()
    with pytest.raises(Locale.DoesNotExist):
        Locale.objects.get_for_language("de")

    again = Locale.objects.create(language_code="de")
    assert Locale.objects.get_for_language("de").pk == again.pk


def test_an_unknown_language_raises_like_wagtail(db):
    with pytest.raises(LookupError):
        Locale.objects.get_for_language("xx")


# --- view restrictions ----------------------------------------------------------------------
def test_a_page_made_private_asks_for_its_password_at_once(client, demo):
    assert CAMPAIGN_TEXT in _text(client.get("/nehzat/"))

    restriction = PageViewRestriction.objects.create(
        page=demo, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    private = _text(client.get("/nehzat/"))
    assert 'name="password"' in private
    assert CAMPAIGN_TEXT not in private

    restriction.delete()
    assert CAMPAIGN_TEXT in _text(client.get("/nehzat/"))


def test_a_private_home_page_keeps_its_campaigns_private_too(client, demo, home_page):
    assert CAMPAIGN_TEXT in _text(client.get("/nehzat/"))

    PageViewRestriction.objects.create(page=home_page, restriction_type=PageViewRestriction.LOGIN)

    response = client.get("/nehzat/")
    assert response.status_code == 302
    assert "next=/nehzat/" in response["Location"]


def test_a_private_page_elsewhere_turns_the_full_check_back_on(client, demo, other_root):
    other_page = other_root.get_children().get()
    PageViewRestriction.objects.create(page=other_page, restriction_type=PageViewRestriction.LOGIN)
    # The demo campaign is still public, now checked by Wagtail's own queries.
    with CaptureQueriesContext(connection) as queries:
        assert CAMPAIGN_TEXT in _text(client.get("/nehzat/"))
    assert any("wagtailcore_pageviewrestriction" in q["sql"] for q in queries.captured_queries)
