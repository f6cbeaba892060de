"""An uncached campaign page costs a small, fixed number of queries, however long it is."""

from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from wagtail.images import get_image_model
from wagtailmedia.models import get_media_model

import pytest
from wagtail_factories import ImageFactory

from tests.factories import CampaignPageFactory, hero_value


pytestmark = pytest.mark.django_db

# Wagtail routing (the campaign, found then loaded: 2), its translations for the language
# links, its videos, images, posters and renditions, and the videos' web renditions
# (videos.sources.attach). The site with its home page, the
# locale, the site settings and the view restrictions come from `sitecache.lookups`.
BUDGET = 8


def _video():
    media = get_media_model()(title="ویدئو", type="video", duration=8, width=480, height=270)
    media.file.save("clip.webm", ContentFile(b"\x1a\x45\xdf\xa3" + b"0" * 64), save=False)
    media.save()
    return media


def _body(n: int) -> list[dict]:
    goals = [{"title": f"هدف {i}", "text": "متن", "image": ImageFactory().pk} for i in range(n)]
    definitions = [{"term": f"واژه {i}", "definition": "تعریف"} for i in range(n)]
    videos = [
        {
            "type": "video",
            "value": {
                "label_text": f"ویدئو {i}",
                "video": _video().pk,
                "embed_url": "",
                "poster": ImageFactory().pk,
                "transcript": "متن ویدئو",
            },
        }
        for i in range(n)
    ]
    return [
        {"type": "hero", "value": hero_value()},
        *videos,
        {"type": "goals", "value": {"heading": "اهداف", "goals": goals}},
        {"type": "definitions", "value": {"heading": "تعاریف", "items": definitions}},
        {
            "type": "call_to_action",
            "value": {"heading": "همین حالا", "text": "", "button_label": "ثبت نام", "page": None},
        },
    ]


def _queries_for(client, n, on_commit) -> int:
    campaign = on_commit(CampaignPageFactory, body=_body(n))
    client.get(campaign.url)  # warm the process-wide caches Wagtail keeps (site root paths)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(campaign.url)
    assert response.status_code == 200
    assert response.content.decode().count('class="card goal"') == n
    assert response.content.decode().count("<video") == n
    return len(queries)


@pytest.fixture
def uncached(settings):
    settings.PAGE_CACHE_SECONDS = 0


def test_the_campaign_page_costs_the_same_queries_with_1_or_10_of_each_block(
    client, uncached, on_commit
):
    one = _queries_for(client, 1, on_commit)
    ten = _queries_for(client, 10, on_commit)
    assert ten == one
    assert one <= BUDGET, one


def test_rendering_does_not_depend_on_the_renditions_cache(client, uncached, on_commit):
    """Even with the renditions cache empty (a fresh process), renditions cost one query."""
    from django.core.cache import caches

    campaign = on_commit(CampaignPageFactory, body=_body(3))
    client.get(campaign.url)
    caches["renditions"].clear()
    with CaptureQueriesContext(connection) as queries:
        client.get(campaign.url)
    rendition_table = get_image_model().get_rendition_model()._meta.db_table
    assert sum(rendition_table in q["sql"] for q in queries.captured_queries) == 1
