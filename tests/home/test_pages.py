import pytest

from home.models import HomePage
from tests.factories import CampaignPageFactory


pytestmark = pytest.mark.django_db


@pytest.fixture
def no_campaigns(bare_site):
    """The site as it is before any campaign is written."""
    return bare_site


def test_persian_is_served_at_the_root_right_to_left(client, demo):
    html = client.get("/").content.decode()
    assert '<html lang="fa" dir="rtl">' in html


def test_english_is_served_under_en_left_to_right(client, demo):
    html = client.get("/en/").content.decode()
    assert '<html lang="en" dir="ltr">' in html


def test_each_page_links_to_its_translation(client, demo):
    html = client.get("/nehzat/").content.decode()
    assert 'href="/en/nehzat/" lang="en"' in html
    html = client.get("/en/nehzat/").content.decode()
    assert 'href="/nehzat/" lang="fa"' in html


def test_home_shows_the_first_campaign_when_none_is_featured(client, no_campaigns):
    CampaignPageFactory(title="کمپین اول")
    html = client.get("/").content.decode()
    assert "کمپین اول" in html
    assert 'class="hero__title"' in html


def test_home_features_the_chosen_campaign_and_lists_the_others(client, no_campaigns):
    CampaignPageFactory(title="کمپین دیگر")
    featured = CampaignPageFactory(title="کمپین برگزیده")
    no_campaigns.featured_campaign = featured
    no_campaigns.save_revision().publish()
    html = client.get("/").content.decode()
    assert '<h1 class="hero__title">کمپین برگزیده</h1>' in html
    assert "<h3>کمپین دیگر</h3>" in html


def test_an_unpublished_featured_campaign_is_not_shown(client, no_campaigns):
    live = CampaignPageFactory(title="کمپین منتشرشده")
    draft = CampaignPageFactory(title="کمپین پیش‌نویس")
    draft.unpublish()
    no_campaigns.featured_campaign = draft
    no_campaigns.save_revision().publish()
    html = client.get("/").content.decode()
    assert live.title in html
    assert "کمپین پیش‌نویس" not in html


def test_home_without_any_campaign_still_says_something(client, no_campaigns):
    response = client.get("/")
    assert response.status_code == 200
    assert "اکنون کمپینی در جریان نیست." in response.content.decode()


def test_the_site_root_is_a_persian_home_page(home_page):
    assert isinstance(home_page, HomePage)
    assert home_page.locale.language_code == "fa"


def test_pages_load_no_font_or_script_from_another_host(client, demo):
    html = client.get("/").content.decode()
    assert "https://" not in html.split("<body")[0]
    assert "//fonts." not in html


def test_a_form_page_links_to_the_same_form_in_the_other_language(client, demo):
    html = client.get("/nehzat/register/").content.decode()
    assert 'href="/en/nehzat/register/" lang="en"' in html


# Routing below the home page is the home page's own (HomePage.route): one narrow look-up of
# the child, then Wagtail's.
def test_every_kind_of_page_is_found_by_its_address(client, demo):
    assert "با هدف تقویت تعاملات اجتماعی" in client.get("/nehzat/").content.decode()
    assert client.get("/privacy/").status_code == 200
    assert client.get("/en/nehzat/").status_code == 200


def test_an_unknown_address_below_the_home_page_is_a_404(client, demo):
    assert client.get("/no-such-campaign/").status_code == 404
    assert client.get("/nehzat/no-such-child/").status_code == 404


def test_an_unpublished_campaign_is_a_404(client, demo):
    demo.unpublish()
    assert client.get("/nehzat/").status_code == 404


def test_a_renamed_campaign_answers_at_its_new_address_only(client, demo):
    demo.slug = "nehzat-2"
    demo.save_revision().publish()
    assert client.get("/nehzat-2/").status_code == 200
    assert client.get("/nehzat/").status_code == 404


def test_a_missing_page_is_a_persian_404_with_the_site_around_it(client, demo):
    response = client.get("/no-such-page/")
    html = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="fa" dir="rtl">' in html
    assert "صفحه پیدا نشد" in html and 'content="noindex"' in html
    assert 'property="og:' not in html  # not a page to share


def test_a_missing_english_page_is_an_english_404(client, demo):
    response = client.get("/en/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
