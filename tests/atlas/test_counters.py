"""The live counters band on the home and campaign pages, and as a StreamField block."""

from django.utils import translation

import pytest

from atlas.templatetags.atlas_tags import counters
from campaigns.blocks import CampaignStreamBlock


pytestmark = pytest.mark.django_db


def test_the_home_page_shows_live_counters_linking_to_the_atlas(client, register):
    register(12, province="tehran")
    register(6, province="fars")
    html = client.get("/").content.decode()
    assert 'class="section atlas-counters"' in html
    assert '<span class="atlas-counters__figure">۱۸</span> گروه‌های ثبت‌شده' in html
    assert '<span class="atlas-counters__figure">۲</span> استان‌های پوشش‌یافته' in html
    assert 'href="/atlas/"' in html


def test_the_campaign_page_shows_them_in_english_too(client, register, campaign):
    register(6, province="fars")
    english = campaign.get_translation(campaign.locale.__class__.objects.get(language_code="en"))
    html = client.get(english.url).content.decode()
    assert '<span class="atlas-counters__figure">6</span> Groups registered' in html
    assert 'href="/en/atlas/"' in html


@translation.override("en")
def test_a_national_total_never_gives_away_a_small_province():
    figures = {"groups": {"tehran": 20, "ilam": 3}, "capacity": {}, "activity": {}}
    # 23 exactly, minus Tehran's shown 20, would tell Ilam has 3.
    assert counters(figures) == {
        "groups": "20+",
        "provinces": "2",
        "problems": "0",
        "interventions": "0",
    }
    assert counters({"groups": {"ilam": 3}})["groups"] == "fewer than 5"
    assert counters({"groups": {"tehran": 20, "fars": 7}})["groups"] == "27"


def test_editors_can_place_the_counters_as_a_block(register):
    register(7, province="gilan")
    block = CampaignStreamBlock()
    value = block.to_python([{"type": "atlas_counters", "value": {"heading": "Where we are"}}])
    html = value.render_as_block() if hasattr(value, "render_as_block") else str(value)
    assert "atlas-counters" in html and "Where we are" in html
