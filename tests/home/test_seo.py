"""What search engines and messaging apps read: descriptions, share cards, icons, sitemap, robots."""

import re
from html import unescape
from xml.etree import ElementTree

from django.contrib.staticfiles import finders

import pytest

from campaigns.models import CampaignPage


pytestmark = pytest.mark.django_db


def head_tags(html: str) -> dict[str, str]:
    """Every <meta name|property=… content=…> of the page, as a reader of the HTML gets it."""
    tags = {}
    for attrs in re.findall(r"<meta ([^>]+)>", html):
        key = re.search(r'(?:name|property)="([^"]+)"', attrs)
        content = re.search(r'content="([^"]*)"', attrs)
        if key and content:
            tags[key.group(1)] = unescape(content.group(1))
    return tags


def get(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def fa_campaign() -> CampaignPage:
    return CampaignPage.objects.get(slug="nehzat", locale__language_code="fa")


def test_a_campaign_page_is_described_by_its_summary_and_shared_with_its_poster(client, demo):
    campaign = fa_campaign()
    html = get(client, "/nehzat/")
    tags = head_tags(html)

    assert tags["description"] == campaign.summary
    assert tags["og:title"] == tags["twitter:title"] == campaign.title
    assert tags["og:description"] == campaign.summary
    assert tags["og:url"] == "http://testserver/nehzat/"
    assert tags["og:locale"] == "fa_IR"
    assert tags["twitter:card"] == "summary_large_image"
    poster = tags["og:image"]
    assert re.fullmatch(r"http://testserver/media/images/.+\.fill-960x540\.jpg", poster)
    assert (tags["og:image:width"], tags["og:image:height"]) == ("960", "540")
    assert client.get(poster.removeprefix("http://testserver")).status_code == 200


def test_the_first_poster_is_preloaded_as_the_video_shows_it(client, demo):
    html = get(client, "/nehzat/")
    preload = re.search(
        r'<link rel="preload" as="image" href="([^"]+)" fetchpriority="high">', html
    )
    assert preload, "no poster preload"
    first_poster = re.search(r'<video [^>]*poster="([^"]+)"', html)
    assert preload.group(1) == first_poster.group(1)
    assert html.index(preload.group(0)) < html.index("</head>")


def test_the_editors_search_description_wins_over_the_summary(client, demo, on_commit):
    campaign = fa_campaign()
    campaign.search_description = "توضیح کوتاه برای موتورهای جست‌وجو"
    on_commit(lambda: campaign.save_revision().publish())
    tags = head_tags(get(client, "/nehzat/"))
    assert tags["description"] == "توضیح کوتاه برای موتورهای جست‌وجو"


def test_the_home_page_shares_its_featured_campaign(client, demo):
    html = get(client, "/")
    tags = head_tags(html)
    assert tags["description"] == fa_campaign().summary
    assert tags["og:url"] == "http://testserver/nehzat/"
    assert "og:image" in tags
    assert '<link rel="preload" as="image"' in html


def test_a_plain_page_is_described_by_its_first_words(client, demo):
    tags = head_tags(get(client, "/privacy/"))
    words = tags["description"].split()
    assert 5 < len(words) <= 31 and tags["description"].endswith("…")
    assert "og:image" not in tags and tags["twitter:card"] == "summary"


def test_english_pages_are_described_in_english(client, demo):
    tags = head_tags(get(client, "/en/nehzat/"))
    english = CampaignPage.objects.get(slug="nehzat", locale__language_code="en")
    assert tags["description"] == english.summary
    assert tags["og:locale"] == "en_US"
    assert tags["og:url"] == "http://testserver/en/nehzat/"


@pytest.mark.parametrize("url", ["/search/", "/nehzat/register/"])
def test_pages_kept_out_of_search_engines_still_describe_themselves(client, demo, url):
    tags = head_tags(get(client, url))
    assert tags["robots"] == "noindex"
    assert re.search("[\u0600-\u06ff]", tags["description"])  # in Persian


def test_every_page_links_self_hosted_icons(client, demo):
    html = get(client, "/nehzat/")
    icons = re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="([^"]+)"', html)
    assert len(icons) == 3
    for href in icons:
        assert href.startswith("/static/icons/")
        assert finders.find(href.removeprefix("/static/")), href


def test_favicon_ico_answers_for_tools_that_ask_for_it(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/icons/favicon.ico"
    assert finders.find("icons/favicon.ico")


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_admin(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Disallow: /admin/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines


def test_the_sitemap_lists_the_published_pages_of_every_language(client, demo):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ElementTree.fromstring(response.content)  # noqa: S314 - the site's own sitemap
    urls = {loc.text for loc in root.findall("s:url/s:loc", namespace)}
    assert {
        "http://testserver/",
        "http://testserver/nehzat/",
        "http://testserver/privacy/",
        "http://testserver/en/",
        "http://testserver/en/nehzat/",
    } <= urls
    assert not any("register" in url or "search" in url for url in urls)
    for url in urls:
        assert client.get(url.removeprefix("http://testserver")).status_code == 200, url


def test_an_unpublished_page_is_left_out_of_the_sitemap(client, demo, on_commit):
    on_commit(lambda: fa_campaign().unpublish())
    assert b"http://testserver/nehzat/" not in client.get("/sitemap.xml").content
