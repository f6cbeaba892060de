"""What a visitor's phone and a headless client get for a processed video, and what editors see."""

import re

from django.contrib.auth.models import Group, Permission, User
from django.core.files import File
from django.core.files.base import ContentFile

from wagtailmedia.models import get_media_model

import pytest

from tests.factories import CampaignPageFactory, hero_value
from videos.models import VideoProcessing

from .support import make_video, require_ffmpeg


pytestmark = pytest.mark.django_db
Media = get_media_model()


@pytest.fixture
def uncached(settings):
    settings.PAGE_CACHE_SECONDS = 0


def _media(on_commit, path=None, content=None, title="ویدیو"):
    def create():
        media = Media(title=title, type="video")
        if path:
            with open(path, "rb") as fh:
                media.file.save(path.name, File(fh), save=False)
        else:
            media.file.save("broken.mp4", ContentFile(content), save=False)
        media.save()
        return media

    return on_commit(create)


def _campaign(on_commit, media):
    video = {
        "label_text": "معرفی",
        "video": media.pk,
        "embed_url": "",
        "poster": None,
        "transcript": "متن کامل ویدیو",
    }
    return on_commit(
        CampaignPageFactory,
        body=[{"type": "hero", "value": hero_value()}, {"type": "video", "value": video}],
    )


@pytest.fixture
def ready_video(on_commit, tmp_path):
    return _media(on_commit, make_video(tmp_path, size="1280x720", seconds=1))


def _video_tag(html: str) -> str:
    return re.search(r"<video.*?</video>", html, re.S).group(0)


def test_the_page_offers_the_small_rendition_first_to_small_screens(
    client, uncached, on_commit, ready_video
):
    row = VideoProcessing.objects.get(media=ready_video)
    small, large = row.renditions.order_by("height")
    campaign = _campaign(on_commit, ready_video)
    video = _video_tag(client.get(campaign.url).content.decode())
    sources = re.findall(r"<source ([^>]*)>", video)
    assert sources == [
        f'src="{small.file.url}" type="video/mp4" media="(max-width: 640px)"',
        f'src="{large.file.url}" type="video/mp4"',
        f'src="{ready_video.file.url}" type="video/mp4"',
    ]
    assert 'preload="none"' in video
    assert f'poster="{row.poster.url}"' in video
    assert 'aria-describedby="transcript-' in video


def test_a_failed_video_plays_the_original(client, uncached, on_commit):
    require_ffmpeg()
    broken = _media(on_commit, content=b"\x00\x00\x00\x18ftypmp42" + b"\0" * 64)
    assert VideoProcessing.objects.get(media=broken).state == "failed"
    response = client.get(_campaign(on_commit, broken).url)
    assert response.status_code == 200
    sources = re.findall(r"<source ([^>]*)>", _video_tag(response.content.decode()))
    assert sources == [f'src="{broken.file.url}" type="video/mp4"']


def test_the_api_lists_every_rendition_with_url_type_size_and_dimensions(
    client, on_commit, ready_video, settings
):
    campaign = _campaign(on_commit, ready_video)
    body = client.get(f"/api/v2/pages/{campaign.pk}/").json()["body"]
    video = next(block for block in body if block["type"] == "video")["value"]["video"]
    renditions = video["renditions"]
    assert [(r["name"], r["type"], r["width"], r["height"]) for r in renditions] == [
        ("360p", "video/mp4", 640, 360),
        ("720p", "video/mp4", 1280, 720),
        ("original", "video/mp4", 1280, 720),
    ]
    base = settings.WAGTAILAPI_BASE_URL
    for rendition in renditions:
        assert rendition["url"].startswith(f"{base}/media/")  # absolute
        assert client.get(rendition["url"].removeprefix(base)).status_code == 200
    assert renditions[0]["size"] < renditions[1]["size"]
    assert renditions[0]["media"] == "(max-width: 640px)"
    assert video["poster_url"].endswith(".jpg")


# --- the admin ------------------------------------------------------------------------------


@pytest.fixture
def editor(client):
    user = User.objects.create_user("sara", password="pw-for-tests")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


def test_editors_see_each_videos_state_and_a_failures_reason(
    client, editor, on_commit, ready_video
):
    require_ffmpeg()
    broken = _media(on_commit, content=b"\x00\x00\x00\x18ftypmp42" + b"\0" * 64, title="خراب")
    html = client.get("/admin/video-processing/").content.decode()
    ready_row = re.search(rf'<tr data-video="{ready_video.pk}">.*?</tr>', html, re.S).group(0)
    broken_row = re.search(rf'<tr data-video="{broken.pk}">.*?</tr>', html, re.S).group(0)
    assert "آماده" in ready_row
    assert "360p" in ready_row and "720p" in ready_row
    assert "ناموفق" in broken_row
    assert "این فایل ویدیویی نیست که بتوان پخشش کرد" in broken_row
    assert "پردازش دوباره" in broken_row


def test_retry_processes_the_video_again(client, editor, on_commit, ready_video):
    VideoProcessing.objects.filter(media=ready_video).update(state="failed", reason="timeout")
    response = on_commit(client.post, f"/admin/video-processing/{ready_video.pk}/retry/")
    assert response.status_code == 302
    row = VideoProcessing.objects.get(media=ready_video)
    assert (row.state, row.reason, row.attempts) == ("ready", "", 2)


def test_someone_without_media_permission_can_neither_see_nor_retry(client, ready_video):
    user = User.objects.create_user("guest", password="pw-for-tests")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get("/admin/video-processing/").status_code in (302, 403)
    client.post(f"/admin/video-processing/{ready_video.pk}/retry/")
    assert VideoProcessing.objects.get(media=ready_video).attempts == 1


def test_retry_is_post_only(client, editor, ready_video):
    assert client.get(f"/admin/video-processing/{ready_video.pk}/retry/").status_code == 405


def test_the_media_endpoint_lists_renditions_at_a_fixed_query_cost(client, on_commit, tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = make_video(tmp_path, size="640x360", seconds=0.5)

    def listing():
        with CaptureQueriesContext(connection) as queries:
            # Without tags: Wagtail's tags field costs a query per item, whatever this app does.
            items = client.get("/api/v2/media/?type=video&limit=50&fields=-tags").json()["items"]
        return items, len(queries)

    _media(on_commit, path)
    _items, one = listing()
    for _ in range(3):
        _media(on_commit, path)
    items, four = listing()
    assert four == one
    for item in items:
        if VideoProcessing.objects.get(media_id=item["id"]).state == "ready":
            names = [r["name"] for r in item["renditions"]]
            assert names == ["360p", "original"]
            assert item["renditions"][0]["size"] > 0
            assert item["poster_url"].endswith(".jpg")


def test_a_cached_page_shows_the_renditions_once_they_are_ready(
    client, on_commit, tmp_path, settings
):
    settings.VIDEO_PROCESSING = False  # uploaded; the worker has not run yet
    media = _media(on_commit, make_video(tmp_path, size="640x360", seconds=0.5))
    campaign = _campaign(on_commit, media)

    def sources():
        return re.findall(r"<source ", _video_tag(client.get(campaign.url).content.decode()))

    assert len(sources()) == 1  # the original alone, and the page is now cached

    from videos import services

    assert on_commit(services.process, media.pk) == "ready"
    assert len(sources()) == 2  # the 360p copy first, then the original
