"""Image renditions are made when a campaign is published, never by its first visitor."""

import re
from pathlib import Path

from django.conf import settings

from wagtail.images import get_image_model

import pytest
from wagtail_factories import ImageFactory

from campaigns import renditions
from campaigns.tasks import generate_renditions
from tests.factories import CampaignPageFactory, hero_value


pytestmark = pytest.mark.django_db

COMPONENTS = Path(settings.BASE_DIR) / "templates" / "components"


def _rendition_specs(image) -> set[str]:
    return set(image.renditions.values_list("filter_spec", flat=True))


def _campaign_with_images(goal_image, poster, on_commit):
    body = [
        {"type": "hero", "value": hero_value()},
        {
            "type": "goals",
            "value": {
                "heading": "اهداف",
                "goals": [{"title": "هدف", "text": "متن", "image": goal_image.pk}],
            },
        },
        {
            "type": "video",
            "value": {
                "label_text": "",
                "video": None,
                "embed_url": "https://www.aparat.com/v/abc123",
                "poster": poster.pk,
                "transcript": "",
            },
        },
    ]
    return on_commit(CampaignPageFactory, body=body)


def test_every_image_filter_in_the_components_is_made_on_publish():
    used = set()
    for template in COMPONENTS.glob("*.html"):
        text = template.read_text()
        used |= set(re.findall(r"{%\s*image\s+\S+\s+(\S+)", text))
        used |= set(re.findall(r'{%\s*rendition\s+\S+\s+"([^"]+)"', text))
    assert used == set(renditions.SPECS.values())


def test_publishing_a_campaign_makes_its_renditions_before_anyone_visits(on_commit):
    goal_image, poster = ImageFactory(), ImageFactory()
    _campaign_with_images(goal_image, poster, on_commit)
    assert _rendition_specs(goal_image) == {renditions.SPECS["goals"]}
    assert _rendition_specs(poster) == {renditions.SPECS["video"]}


def test_the_first_visit_makes_no_rendition(client, on_commit):
    goal_image, poster = ImageFactory(), ImageFactory()
    campaign = _campaign_with_images(goal_image, poster, on_commit)
    Rendition = get_image_model().get_rendition_model()
    before = Rendition.objects.count()
    response = client.get(campaign.url)
    assert response.status_code == 200
    assert Rendition.objects.count() == before
    rendition = goal_image.renditions.get()
    assert rendition.url in response.content.decode()


def test_goal_images_show_their_renditions(client, on_commit):
    goal_image, poster = ImageFactory(), ImageFactory()
    campaign = _campaign_with_images(goal_image, poster, on_commit)
    html = client.get(campaign.url).content.decode()
    goal = goal_image.renditions.get()
    assert (
        f'<img class="card__image" src="{goal.url}" width="{goal.width}" height="{goal.height}"'
        ' loading="lazy" alt="">'
    ) in html


def test_a_rendition_lost_since_publishing_is_made_again_for_the_visitor(client, on_commit):
    goal_image, poster = ImageFactory(), ImageFactory()
    campaign = _campaign_with_images(goal_image, poster, on_commit)
    goal_image.renditions.all().delete()
    html = client.get(campaign.url).content.decode()
    assert goal_image.renditions.get().url in html


def test_an_image_whose_file_is_gone_still_leaves_the_page_readable(client, on_commit):
    """As with Wagtail's `{% image %}`: a broken image, not a server error (e.g. after a
    database restore without the media folder)."""
    goal_image, poster = ImageFactory(), ImageFactory()
    campaign = _campaign_with_images(goal_image, poster, on_commit)
    goal_image.renditions.all().delete()
    goal_image.file.delete(save=False)
    response = client.get(campaign.url)
    assert response.status_code == 200
    assert 'class="card goal"' in response.content.decode()


def test_rendering_writes_nothing_to_the_renditions_cache_when_renditions_are_loaded(
    client, on_commit, settings
):
    """Wagtail's `{% image %}` writes each rendition to the cache on every render."""
    from django.core.cache import caches

    settings.PAGE_CACHE_SECONDS = 0  # render every time
    goal_image, poster = ImageFactory(), ImageFactory()
    campaign = _campaign_with_images(goal_image, poster, on_commit)
    client.get(campaign.url)
    cache = caches["renditions"]
    cache.clear()
    client.get(campaign.url)
    assert not cache._cache  # local memory under the test settings


def test_the_renditions_task_is_safe_to_run_twice(on_commit):
    goal_image, poster = ImageFactory(), ImageFactory()
    campaign = _campaign_with_images(goal_image, poster, on_commit)
    generate_renditions(campaign.pk)
    generate_renditions(campaign.pk)
    assert goal_image.renditions.count() == 1


def test_the_renditions_task_ignores_a_deleted_page():
    assert generate_renditions(10**9) == 0


def test_renditions_are_made_inline_when_the_broker_is_down(on_commit, monkeypatch):
    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError

    monkeypatch.setattr(generate_renditions, "apply_async", broker_down)
    goal_image, poster = ImageFactory(), ImageFactory()
    _campaign_with_images(goal_image, poster, on_commit)
    assert goal_image.renditions.count() == 1


def test_renditions_have_their_own_cache():
    from django.core.cache import caches

    Rendition = get_image_model().get_rendition_model()
    assert Rendition.cache_backend is caches["renditions"]
    assert Rendition.cache_backend is not caches["default"]
