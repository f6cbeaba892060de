"""What a page or the API offers for a video: its web renditions (once ready), poster and original.

Until a video is ready, or when processing failed, only the original is offered, so a failure
never breaks a page. `attach()` loads this for many videos with one query.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass

from django.conf import settings

from .models import VideoProcessing, VideoRendition


@dataclass(frozen=True)
class Source:
    url: str
    type: str
    media: str = ""  # a <source media> query, "" for any screen
    width: int | None = None
    height: int | None = None
    size: int | None = None
    name: str = "original"


def attach(medias) -> None:
    """Load the ready renditions (and their processing row) of these videos in one query."""
    medias = [m for m in medias if m is not None and getattr(m, "_web_renditions", None) is None]
    if not medias:
        return
    found: dict[int, list[VideoRendition]] = {m.pk: [] for m in medias}
    renditions = VideoRendition.objects.filter(
        processing__media__in=[m.pk for m in medias],
        processing__state=VideoProcessing.State.READY,
    ).select_related("processing")
    for rendition in renditions:
        found[rendition.processing.media_id].append(rendition)
    for media in medias:
        media._web_renditions = found[media.pk]


def _renditions(media) -> list[VideoRendition]:
    if getattr(media, "_web_renditions", None) is None:
        attach([media])
    return media._web_renditions


def sources(media) -> list[Source]:
    """Renditions smallest first, each but the largest for the screens its `media` names,
    then the original as the fallback."""
    if media is None:
        return []
    queries = {spec["name"]: spec.get("media", "") for spec in settings.VIDEO_RENDITIONS}
    renditions = sorted(_renditions(media), key=lambda r: (r.height * r.width, r.pk))
    offered = [
        Source(
            url=r.file.url,
            type=r.mime_type,
            media=queries.get(r.name, "") if i < len(renditions) - 1 else "",
            width=r.width,
            height=r.height,
            size=r.size,
            name=r.name,
        )
        for i, r in enumerate(renditions)
    ]
    original = Source(
        url=media.file.url,
        type=mimetypes.guess_type(media.file.name)[0] or "application/octet-stream",
        width=media.width,
        height=media.height,
        size=_size(media),
    )
    return [*offered, original]


def _size(media) -> int | None:
    renditions = _renditions(media)
    if renditions and renditions[0].processing.source_size:
        return renditions[0].processing.source_size
    return None


def poster_url(media) -> str:
    """The editor's thumbnail, else the frame the pipeline took, else ""."""
    if media is None:
        return ""
    if media.thumbnail:
        return media.thumbnail.url
    renditions = _renditions(media)
    if renditions and renditions[0].processing.poster:
        return renditions[0].processing.poster.url
    return ""
