"""The task's edges: what is queued when, a broker outage, and the sweep that catches up."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from wagtailmedia.models import get_media_model

import pytest

from videos import tasks
from videos.models import VideoProcessing


pytestmark = pytest.mark.django_db
Media = get_media_model()


@pytest.fixture
def sent(monkeypatch):
    """The ids handed to the broker, instead of running the task."""
    ids = []
    monkeypatch.setattr(tasks.process_video, "apply_async", lambda args: ids.append(args[0]))
    return ids


def _media(on_commit, media_type="video", name="clip.mp4"):
    def create():
        media = Media(title="فایل", type=media_type)
        media.file.save(name, ContentFile(b"\x00\x00\x00\x18ftypmp42"), save=False)
        media.save()
        return media

    return on_commit(create)


def test_a_new_video_is_queued_after_the_commit(on_commit, sent):
    media = _media(on_commit)
    assert sent == [media.pk]
    assert VideoProcessing.objects.get(media=media).state == "queued"


def test_audio_is_not_queued(on_commit, sent):
    _media(on_commit, media_type="audio", name="talk.mp3")
    assert sent == []


def test_nothing_is_queued_when_the_upload_is_rolled_back(django_capture_on_commit_callbacks, sent):
    with django_capture_on_commit_callbacks(execute=False):
        media = Media(title="فایل", type="video")
        media.file.save("clip.mp4", ContentFile(b"x"), save=False)
        media.save()
    assert sent == []


def test_a_broker_outage_leaves_the_video_queued_for_the_sweep(on_commit, monkeypatch):
    def down(args):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.process_video, "apply_async", down)
    media = _media(on_commit)  # no exception reaches the editor
    row = VideoProcessing.objects.get(media=media)
    assert row.state == "queued"

    sent = []
    monkeypatch.setattr(tasks.process_video, "apply_async", lambda args: sent.append(args[0]))
    VideoProcessing.objects.filter(pk=row.pk).update(
        updated_at=timezone.now() - timedelta(minutes=5)
    )
    assert tasks.sweep_video_queue() == 1
    assert sent == [media.pk]


def test_the_sweep_leaves_fresh_and_finished_videos_alone(on_commit, sent, settings):
    media = _media(on_commit)
    sent.clear()
    assert tasks.sweep_video_queue() == 0  # queued a moment ago: its task is on its way
    long_ago = timezone.now() - timedelta(days=1)
    VideoProcessing.objects.filter(media=media).update(state="ready", updated_at=long_ago)
    assert tasks.sweep_video_queue() == 0
    VideoProcessing.objects.filter(media=media).update(state="processing", started_at=long_ago)
    assert tasks.sweep_video_queue() == 1  # its worker died: sent again
    assert sent == [media.pk]


def test_a_deleted_video_is_gone_for_the_task(on_commit, sent):
    media = _media(on_commit)
    media_id = media.pk
    media.delete()
    assert tasks.process_video.apply(args=(media_id,)).get() == "gone"
