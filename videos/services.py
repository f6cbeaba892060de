"""The video pipeline: probe an upload with ffprobe, transcode web renditions, take a poster.

ffmpeg and ffprobe (Debian's `ffmpeg` package) run as subprocesses with a deadline; every
file they touch lives in one temporary folder that is removed afterwards, and a sweep removes
folders a killed worker left behind. `process()` is what the Celery task runs.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from wagtailmedia.models import get_media_model

from .models import VideoProcessing, VideoRendition


logger = logging.getLogger(__name__)

TMP_PREFIX = "nehzat-video-"
_CHUNK = 1024 * 1024
State = VideoProcessing.State
Reason = VideoProcessing.Reason


class VideoError(Exception):
    """Processing stopped; `reason` is a `VideoProcessing.Reason`, `detail` is for the admin."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(detail or reason)
        self.reason = reason
        self.detail = detail


@dataclass(frozen=True)
class VideoInfo:
    duration: float
    width: int  # as displayed, after the rotation phones record
    height: int
    has_audio: bool
    bitrate: int | None
    size: int


@dataclass(frozen=True)
class RenditionSpec:
    name: str
    short_side: int
    video_kbps: int
    audio_kbps: int
    media: str = ""


def rendition_specs() -> list[RenditionSpec]:
    return sorted(
        (RenditionSpec(**spec) for spec in settings.VIDEO_RENDITIONS), key=lambda s: s.short_side
    )


def ffmpeg_available() -> bool:
    return bool(shutil.which(settings.VIDEO_FFMPEG) and shutil.which(settings.VIDEO_FFPROBE))


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess:
    if timeout <= 0:
        raise VideoError(Reason.TIMEOUT)
    try:
        result = subprocess.run(  # noqa: S603 - fixed program, arguments never pass a shell
            args, capture_output=True, timeout=timeout, check=False, stdin=subprocess.DEVNULL
        )
    except FileNotFoundError as exc:
        raise VideoError(Reason.NO_FFMPEG, str(exc)) from exc
    except subprocess.TimeoutExpired as exc:
        raise VideoError(Reason.TIMEOUT, f"{args[0]} stopped after {timeout:.0f} s") from exc
    return result


def _tail(stderr: bytes, lines: int = 5) -> str:
    return "\n".join(stderr.decode("utf-8", "replace").strip().splitlines()[-lines:])


def probe(path: str | os.PathLike, timeout: float = 60) -> VideoInfo:
    """What ffprobe says about a file, or VideoError(NOT_A_VIDEO) when it is no playable video."""
    result = _run(
        [
            settings.VIDEO_FFPROBE,
            *("-v", "error", "-print_format", "json", "-show_format", "-show_streams"),
            str(path),
        ],
        timeout,
    )
    if result.returncode != 0:
        raise VideoError(Reason.NOT_A_VIDEO, _tail(result.stderr))
    try:
        data = json.loads(result.stdout or b"{}")
    except ValueError as exc:
        raise VideoError(Reason.NOT_A_VIDEO, "ffprobe gave no readable answer") from exc
    fmt = data.get("format") or {}
    streams = data.get("streams") or []
    video = next(
        (
            s
            for s in streams
            if s.get("codec_type") == "video"
            and not (s.get("disposition") or {}).get("attached_pic")
        ),
        None,
    )
    # A still image (a photo renamed .mp4) is a "video stream" to ffprobe, with no duration.
    duration = _float(fmt.get("duration")) or _float((video or {}).get("duration"))
    if (
        video is None
        or not video.get("width")
        or not video.get("height")
        or not duration
        or "image2" in fmt.get("format_name", "")
        or fmt.get("format_name", "").endswith("_pipe")
    ):
        raise VideoError(Reason.NOT_A_VIDEO, f"format {fmt.get('format_name', '?')}")
    width, height = int(video["width"]), int(video["height"])
    if _rotation(video) % 180 == 90:
        width, height = height, width
    return VideoInfo(
        duration=duration,
        width=width,
        height=height,
        has_audio=any(s.get("codec_type") == "audio" for s in streams),
        bitrate=int(fmt["bit_rate"]) if str(fmt.get("bit_rate", "")).isdigit() else None,
        size=int(fmt["size"]) if str(fmt.get("size", "")).isdigit() else os.path.getsize(path),
    )


def _float(value) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return 0.0
    return number if math.isfinite(number) and number > 0 else 0.0


def _rotation(stream: dict) -> int:
    for side in stream.get("side_data_list") or []:
        if "rotation" in side:
            return abs(int(float(side["rotation"])))
    rotate = (stream.get("tags") or {}).get("rotate", "0")
    return abs(int(rotate)) if str(rotate).lstrip("-").isdigit() else 0


def plan(info: VideoInfo) -> list[RenditionSpec]:
    """The renditions to make: never larger than the original; the smallest always, at most
    the original's size, so even a small upload gets a light, fast-starting copy."""
    short = min(info.width, info.height)
    specs = rendition_specs()
    wanted = [spec for spec in specs if spec.short_side <= short]
    return wanted or specs[:1]


def _scale_filter(info: VideoInfo, spec: RenditionSpec) -> str:
    short = min(spec.short_side, min(info.width, info.height))
    short -= short % 2  # H.264 in yuv420p needs even dimensions
    # -2: the other side keeps the aspect ratio, rounded to an even number.
    size = f"-2:{short}" if info.width >= info.height else f"{short}:-2"
    return f"scale={size}:flags=bicubic,setsar=1"


def transcode(
    source: Path, target: Path, info: VideoInfo, spec: RenditionSpec, timeout: float
) -> VideoInfo:
    """One H.264/AAC MP4 rendition with its index at the front (`+faststart`)."""
    kbps = spec.video_kbps
    args = [
        settings.VIDEO_FFMPEG,
        *("-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-i", str(source)),
        *("-map", "0:v:0", "-map", "0:a:0?", "-sn", "-dn", "-map_metadata", "-1"),
        *("-vf", _scale_filter(info, spec), "-fpsmax", "30"),
        *("-c:v", "libx264", "-preset", settings.VIDEO_X264_PRESET, "-profile:v", "main"),
        *("-pix_fmt", "yuv420p", "-b:v", f"{kbps}k", "-maxrate", f"{int(kbps * 1.1)}k"),
        *("-bufsize", f"{kbps * 2}k", "-threads", str(settings.VIDEO_FFMPEG_THREADS)),
        *("-c:a", "aac", "-b:a", f"{spec.audio_kbps}k", "-ac", "2"),
        *("-movflags", "+faststart", str(target)),
    ]
    result = _run(args, timeout)
    if result.returncode != 0 or not target.exists():
        raise VideoError(Reason.FAILED, _tail(result.stderr))
    return probe(target, timeout=60)


def poster(source: Path, target: Path, info: VideoInfo, timeout: float) -> Path:
    """A JPEG frame a few seconds in (or halfway through a shorter video), at most 720p."""
    at = min(settings.VIDEO_POSTER_AT, info.duration / 2)
    short = min(720, min(info.width, info.height))
    short -= short % 2
    size = f"-2:{short}" if info.width >= info.height else f"{short}:-2"
    args = [
        settings.VIDEO_FFMPEG,
        *("-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-ss", f"{at:.2f}"),
        *("-i", str(source), "-frames:v", "1", "-vf", f"scale={size}", "-q:v", "3", str(target)),
    ]
    result = _run(args, timeout)
    if result.returncode != 0 or not target.exists():
        raise VideoError(Reason.FAILED, _tail(result.stderr))
    return target


# --- the task's body --------------------------------------------------------------------------


def sweep_stale_tmp(now: float | None = None) -> int:
    """Remove temporary folders older than the time limit (a worker killed mid-transcode)."""
    now = now or time.time()
    removed = 0
    root = Path(tempfile.gettempdir())
    for folder in root.glob(f"{TMP_PREFIX}*"):
        try:
            if now - folder.stat().st_mtime > settings.VIDEO_TRANSCODE_TIME_LIMIT * 2:
                shutil.rmtree(folder, ignore_errors=True)
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def _claim(media) -> VideoProcessing | None:
    """Mark the video's row as processing, or None when another worker is at it now."""
    stale = timezone.now() - timedelta(seconds=settings.VIDEO_TRANSCODE_TIME_LIMIT + 120)
    with transaction.atomic():
        row, _created = VideoProcessing.objects.get_or_create(media=media)
        row = VideoProcessing.objects.select_for_update().get(pk=row.pk)
        if row.state == State.PROCESSING and row.started_at and row.started_at > stale:
            return None
        row.state, row.source_name = State.PROCESSING, media.file.name
        row.reason, row.detail = Reason.NONE, ""
        row.started_at, row.finished_at = timezone.now(), None
        row.attempts += 1
        row.save()
    return row


def _download(field_file, target: Path) -> tuple[str, int]:
    """Copy an upload out of storage (local disk or a bucket) while hashing it."""
    digest, size = hashlib.sha256(), 0
    try:
        with field_file.storage.open(field_file.name, "rb") as src, open(target, "wb") as dst:
            while chunk := src.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
                dst.write(chunk)
    except (OSError, ValueError) as exc:
        raise VideoError(Reason.SOURCE_MISSING, str(exc)) from exc
    return digest.hexdigest(), size


def _fail(row: VideoProcessing, reason: str, detail: str) -> None:
    row.state, row.reason, row.detail = State.FAILED, reason, detail[:2000]
    row.finished_at = timezone.now()
    row.save(update_fields=["state", "reason", "detail", "finished_at", "updated_at"])


def process(media_id: int) -> str:
    """Probe, transcode and take a poster for one video; safe to run twice.

    Returns what happened: "ready", "unchanged" (these bytes were already transcoded),
    "busy" (another worker has it), "gone" (no such video) or "failed".
    """
    media = get_media_model().objects.filter(pk=media_id, type="video").first()
    if media is None or not media.file:
        return "gone"
    row = _claim(media)
    if row is None:
        return "busy"
    sweep_stale_tmp()
    deadline = time.monotonic() + settings.VIDEO_TRANSCODE_TIME_LIMIT
    old_files: list[tuple[object, str]] = []
    try:
        with tempfile.TemporaryDirectory(prefix=TMP_PREFIX) as tmp:
            folder = Path(tmp)
            source = folder / f"source{Path(media.file.name).suffix.lower()}"
            digest, size = _download(media.file, source)
            if digest == row.source_hash and row.renditions.exists():
                row.state, row.finished_at = State.READY, timezone.now()
                row.save()
                _announce(media)
                return "unchanged"
            if not ffmpeg_available():
                raise VideoError(Reason.NO_FFMPEG)
            info = probe(source, timeout=min(60, deadline - time.monotonic()))
            made = []
            for spec in plan(info):
                target = folder / f"{spec.name}.mp4"
                made.append(
                    (
                        spec,
                        target,
                        transcode(source, target, info, spec, deadline - time.monotonic()),
                    )
                )
            poster_path = None
            if not media.thumbnail:
                poster_path = poster(
                    source, folder / "poster.jpg", info, deadline - time.monotonic()
                )
            old_files = _store(row, media, digest, size, info, made, poster_path)
    except VideoError as exc:
        logger.warning("video %s not processed: %s %s", media_id, exc.reason, exc.detail)
        _fail(row, exc.reason, exc.detail)
        return "failed"
    except Exception as exc:  # SoftTimeLimitExceeded, storage errors: the page plays the original
        from celery.exceptions import SoftTimeLimitExceeded

        if isinstance(exc, SoftTimeLimitExceeded):
            _fail(row, Reason.TIMEOUT, "")
            return "failed"
        logger.exception("video %s not processed", media_id)
        _fail(row, Reason.FAILED, f"{type(exc).__name__}: {exc}")
        return "failed"
    _announce(media)
    for storage, name in old_files:
        try:
            storage.delete(name)
        except Exception:  # a leftover file costs bytes, not correctness
            logger.warning("old video file %s not deleted", name)
    return "ready"


def _announce(media) -> None:
    from .signals import video_processed

    transaction.on_commit(
        lambda: video_processed.send(sender=type(media), instance=media), robust=True
    )


def _store(row, media, digest, size, info, made, poster_path) -> list[tuple[object, str]]:
    """Save the new files, then swap them in with one transaction; returns the files replaced."""
    stem = f"{media.pk}-{digest[:12]}"
    new_renditions = []
    for spec, path, out in made:
        rendition = VideoRendition(
            processing=row,
            name=spec.name,
            width=out.width,
            height=out.height,
            size=out.size,
            bitrate=out.bitrate,
        )
        with open(path, "rb") as fh:
            rendition.file.save(f"{stem}-{spec.name}.mp4", File(fh), save=False)
        new_renditions.append(rendition)
    old = [(r.file.storage, r.file.name) for r in row.renditions.all()]
    if row.poster:
        old.append((row.poster.storage, row.poster.name))
    with transaction.atomic():
        row.renditions.all().delete()
        VideoRendition.objects.bulk_create(new_renditions)
        if poster_path:
            with open(poster_path, "rb") as fh:
                row.poster.save(f"{stem}.jpg", File(fh), save=False)
        else:
            row.poster = ""
        row.source_name, row.source_hash, row.source_size = media.file.name, digest, size
        row.duration, row.width, row.height = info.duration, info.width, info.height
        row.state, row.finished_at = State.READY, timezone.now()
        row.save()
        # What wagtailmedia shows and the API reports; update() so no new processing is queued.
        type(media).objects.filter(pk=media.pk).update(
            duration=round(info.duration, 2), width=info.width, height=info.height
        )
    return old


def probe_upload(upload) -> VideoInfo | None:
    """Probe an uploaded file before it is saved; None when ffprobe is not installed here
    (the worker's own probe then refuses a bad file).

    Raises VideoError(NOT_A_VIDEO) for a file that is no playable video.
    """
    if not ffmpeg_available():
        return None
    path = getattr(upload, "temporary_file_path", None)
    if path:
        return probe(path(), timeout=30)
    with tempfile.NamedTemporaryFile(prefix=TMP_PREFIX, suffix=Path(upload.name).suffix) as tmp:
        for chunk in upload.chunks():
            tmp.write(chunk)
        tmp.flush()
        upload.seek(0)
        return probe(tmp.name, timeout=30)
