"""Transcode time and output sizes for a 1-minute 1080p phone-like video.

Generates the sample with ffmpeg (test pattern with motion and noise, a tone, 30 fps,
H.264 at about 8 Mbit/s: what a phone records), then runs the pipeline's own probe,
renditions and poster (videos/services.py) on it, one after another as the media worker
does, and prints a table:

    .venv/bin/python bench/transcode.py [--seconds 60] [--preset veryfast] [--keep DIR]
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent


def make_sample(path: Path, seconds: int) -> None:
    subprocess.run(
        [
            "ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
            "-f", "lavfi", "-i", f"testsrc2=size=1920x1080:rate=30:duration={seconds}",
            "-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}",
            # Noise, so the encoder works as on camera footage rather than flat colours.
            "-vf", "noise=alls=12:allf=t",
            "-c:v", "libx264", "-preset", "ultrafast", "-b:v", "8M", "-pix_fmt", "yuv420p",
            "-c:a", "aac", "-b:a", "128k", "-shortest", str(path),
        ],
        check=True,
    )  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--preset", help="x264 preset (default: the setting, veryfast)")
    parser.add_argument("--keep", help="folder to keep the sample and outputs in")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    if args.preset:
        os.environ["VIDEO_X264_PRESET"] = args.preset
    import django

    django.setup()
    from django.conf import settings

    from videos import services

    folder = Path(args.keep or tempfile.mkdtemp(prefix="nehzat-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    sample = folder / "sample-1080p.mp4"
    started = time.monotonic()
    make_sample(sample, args.seconds)
    print(
        f"# sample: {args.seconds} s 1920x1080 30 fps, made in {time.monotonic() - started:.1f} s"
    )
    print(f"# {os.cpu_count()} cores; load {os.getloadavg()}; preset {settings.VIDEO_X264_PRESET}")

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    info = services.probe(sample)
    rows = [("original", info.width, info.height, info.size, info.bitrate, 0.0)]
    total = 0.0
    for spec in services.plan(info):
        target = folder / f"{spec.name}.mp4"
        started = time.monotonic()
        out = services.transcode(sample, target, info, spec, timeout=3600)
        spent = time.monotonic() - started
        total += spent
        rows.append((spec.name, out.width, out.height, out.size, out.bitrate, spent))
    started = time.monotonic()
    poster = services.poster(sample, folder / "poster.jpg", info, timeout=60)
    poster_time = time.monotonic() - started
    total += poster_time

    print()
    print("| output | size | file | kbit/s | transcode time | × real time |")
    print("|---|---|---|---|---|---|")
    for name, width, height, size, bitrate, spent in rows:
        speed = f"{info.duration / spent:.2f}" if spent else "–"
        print(
            f"| {name} | {width}×{height} | {size / 1e6:.1f} MB | {(bitrate or 0) / 1000:.0f} "
            f"| {spent:.1f} s | {speed} |"
        )
    print(f"| poster | | {poster.stat().st_size / 1e3:.0f} kB | | {poster_time:.1f} s | |")
    print(f"\ntotal {total:.1f} s for {info.duration:.0f} s of video; ")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    print(f"ffmpeg CPU {cpu:.1f} s; largest ffmpeg process {after.ru_maxrss / 1024:.0f} MB RSS")
    if not args.keep:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
