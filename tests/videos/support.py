"""Tiny videos made by ffmpeg in the test (lavfi test pattern and tone), and the skip rule."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest


HAVE_FFMPEG = bool(shutil.which("ffmpeg") and shutil.which("ffprobe"))


def require_ffmpeg():
    """Skip without ffmpeg, unless REQUIRE_SERVICES is set (CI), where that is a failure."""
    if HAVE_FFMPEG:
        return
    if os.environ.get("REQUIRE_SERVICES"):
        pytest.fail("ffmpeg/ffprobe are not installed (Debian package ffmpeg; .ci/run installs it)")
    pytest.skip("ffmpeg/ffprobe are not installed (apt-get install ffmpeg)")


def make_video(
    folder: Path,
    name: str = "clip.mp4",
    *,
    size: str = "640x360",
    seconds: float = 1.5,
    audio: bool = True,
    rotate: int | None = None,
    rate: int = 25,
) -> Path:
    """A short test-pattern video (H.264 + AAC in MP4, VP8 in WebM)."""
    require_ffmpeg()
    target = folder / name
    args = ["ffmpeg", "-hide_banner", "-loglevel", "error", "-y"]
    args += ["-f", "lavfi", "-i", f"testsrc=size={size}:rate={rate}:duration={seconds}"]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"]
    if target.suffix == ".webm":
        args += ["-c:v", "libvpx", "-b:v", "300k", "-deadline", "realtime", "-cpu-used", "8"]
        args += ["-c:a", "libopus"] if audio else []
    else:
        args += ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
        args += ["-c:a", "aac"] if audio else []
    args += ["-shortest", str(target)]
    subprocess.run(args, check=True, capture_output=True, timeout=120)  # noqa: S603
    if rotate is not None:
        # A phone's way: the picture stored sideways, a display matrix says how to turn it
        # (set on a stream copy; ffmpeg drops it when encoding).
        turned = target.with_name(f"turned-{target.name}")
        subprocess.run(  # noqa: S603
            ["ffmpeg", "-loglevel", "error", "-y", "-i", target, "-c", "copy"]
            + ["-metadata:s:v:0", f"rotate={rotate}", turned],
            check=True,
            capture_output=True,
        )
        turned.replace(target)
    return target


def ffprobe_streams(path) -> dict:
    import json

    out = subprocess.run(  # noqa: S603
        ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", path],  # noqa: S607
        check=True,
        capture_output=True,
    ).stdout
    return json.loads(out)


def moov_before_mdat(data: bytes) -> bool:
    """`+faststart`: the MP4 index (moov) comes before the media data (mdat)."""
    return 0 <= data.find(b"moov") < data.find(b"mdat")
