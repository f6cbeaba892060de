import re

from django.utils.html import strip_tags

import pytest

from campaigns.models import CampaignPage
from home.demo_content import SEED_FILE, load_demo_content, parse_seed
from persian.text import to_ascii_digits


pytestmark = pytest.mark.django_db

SEED_TEXT = SEED_FILE.read_text(encoding="utf-8")


def visible_text(html: str) -> str:
    """What a reader sees: tags removed, digits in one script, spaces collapsed."""
    text = strip_tags(html).replace("&nbsp;", " ")
    return re.sub(r"\s+", " ", to_ascii_digits(text))


def seed_lines():
    for line in SEED_TEXT.splitlines():
        line = line.strip()
        if line:
            # A definition's term is written "term :" in the seed; the page shows the colon
            # with CSS after a <dt>, so the words are compared without it.
            yield re.sub(r"\s*:$", "", re.sub(r"\s+", " ", line))


def test_the_seed_has_four_goals_and_five_definitions():
    seed = parse_seed(SEED_TEXT)
    kinds = [kind for kind, _ in seed.sections]
    goals = next(value for kind, value in seed.sections if kind == "goals")
    definitions = next(value for kind, value in seed.sections if kind == "definitions")
    assert len(goals["goals"]) == 4
    assert [item["term"] for item in definitions["items"]] == [
        "مشارکت",
        "تسهیلگر",
        "مداخلات اجتماع محور",
        "نهضت اجتماعی",
        "نهادهای مردمی داوطلب",
    ]
    assert kinds.count("video") == 3
    assert (seed.sms_keyword, seed.sms_line) == ("9", "30001152")


@pytest.mark.parametrize("url", ["/", "/nehzat/"])
def test_every_line_of_the_seed_page_appears_on_the_persian_page(client, demo, url):
    response = client.get(url)
    assert response.status_code == 200
    text = visible_text(response.content.decode())
    missing = [line for line in seed_lines() if line not in text]
    assert missing == []


def test_home_shows_the_sms_instruction_with_keyword_and_line(client, demo):
    html = client.get("/").content.decode()
    assert 'عدد <strong class="sms-keyword">۹</strong> را به شماره' in html
    assert 'href="sms:30001152?body=9"' in html


def test_the_demo_video_and_its_poster_are_served(client, demo):
    html = client.get("/").content.decode()
    source = re.search(r'<source src="([^"]+)" type="video/webm">', html).group(1)
    poster = re.search(r'<video[^>]*poster="([^"]+)"', html).group(1)
    video_response = client.get(source)
    assert video_response.status_code == 200
    assert b"".join(video_response.streaming_content)[:4] == b"\x1a\x45\xdf\xa3"  # WebM
    assert client.get(poster).status_code == 200


def test_english_translation_is_published_under_en_left_to_right(client, demo):
    html = client.get("/en/nehzat/").content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "National Social Participation Movement" in html
    assert "Community-based interventions" in html
    assert 'text <strong class="sms-keyword">9</strong> to' in html
    assert "ضرورت شرکت در طرح" not in html


def test_english_page_is_a_wagtail_localize_translation_of_the_persian_one(demo):
    english = CampaignPage.objects.get(locale__language_code="en", slug="nehzat")
    assert english.translation_key == demo.translation_key
    assert english.live


def test_english_home_features_the_english_campaign(client, demo):
    html = client.get("/en/").content.decode()
    assert '<h1 class="hero__title">National Social Participation Movement</h1>' in html
    assert "Why take part" in html


def test_loading_the_demo_twice_changes_nothing(demo):
    before = {page.pk: page.latest_revision_id for page in CampaignPage.objects.all()}
    assert load_demo_content(log=lambda *args: None) is False
    after = {page.pk: page.latest_revision_id for page in CampaignPage.objects.all()}
    assert after == before
    assert CampaignPage.objects.count() == 2
