"""Celery tasks of the video pipeline (queue `media`): they take ids and are safe to run twice."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from celery import shared_task

from .models import VideoProcessing


logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=None,
    # The service's own deadline stops ffmpeg first; these only catch a hung worker.
    soft_time_limit=settings.VIDEO_TRANSCODE_TIME_LIMIT + 30,
    time_limit=settings.VIDEO_TRANSCODE_TIME_LIMIT + 60,
)
def process_video(self, media_id: int) -> str:
    from . import services

    outcome = services.process(media_id)
    if outcome == "busy":  # a new file arrived while the old one is transcoded: after it
        raise self.retry(countdown=60)
    return outcome


@shared_task
def sweep_video_queue() -> int:
    """Enqueue videos left queued (broker down at upload) or stuck processing past the limit."""
    now = timezone.now()
    waiting = VideoProcessing.objects.filter(
        state=VideoProcessing.State.QUEUED, updated_at__lt=now - timedelta(minutes=2)
    ) | VideoProcessing.objects.filter(
        state=VideoProcessing.State.PROCESSING,
        started_at__lt=now - timedelta(seconds=settings.VIDEO_TRANSCODE_TIME_LIMIT + 120),
    )
    ids = list(waiting.values_list("media_id", flat=True)[:100])
    for media_id in ids:
        enqueue(media_id)
    return len(ids)


def enqueue(media_id: int) -> None:
    try:
        process_video.apply_async((media_id,))
    except Exception:  # broker down: the row stays queued and the sweep sends it later
        logger.warning("video %s not enqueued; the sweep will retry", media_id)


def queue(media) -> VideoProcessing:
    """Mark a video as waiting for processing and send it to the worker after the commit."""
    row, _created = VideoProcessing.objects.get_or_create(media=media)
    if row.state != VideoProcessing.State.PROCESSING:
        row.state, row.reason, row.detail = VideoProcessing.State.QUEUED, "", ""
        row.save(update_fields=["state", "reason", "detail", "updated_at"])
    transaction.on_commit(lambda: enqueue(media.pk), robust=True)
    return row


def on_media_saved(sender, instance, raw=False, **kwargs) -> None:
    """A new video, or a new file for one, is queued; other edits (title, tags) are not."""
    if raw or instance.type != "video" or not instance.file or not settings.VIDEO_PROCESSING:
        return
    row = VideoProcessing.objects.filter(media=instance).only("source_name", "state").first()
    if row is not None and row.source_name == instance.file.name:
        return
    queue(instance)
