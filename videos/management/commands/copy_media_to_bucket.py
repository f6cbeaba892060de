"""Copy the uploads on local disk (MEDIA_ROOT) to the bucket configured with MEDIA_STORAGE=s3.

Idempotent: a file already in the bucket with the same size (and, where the bucket reports
it, the same MD5) is left alone, so an interrupted copy is resumed by running it again.
Every copied file is checked after the upload; the command fails if any check fails.
"""

import hashlib
import sys
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, storages
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Copy local uploads (MEDIA_ROOT) to the media bucket, skip what is there, verify each copy."
    )

    def add_arguments(self, parser):
        parser.add_argument("--source", help="folder to copy from (default: MEDIA_ROOT)")
        parser.add_argument(
            "--dry-run", action="store_true", help="only count what would be copied"
        )

    def handle(self, *args, source=None, dry_run=False, **options):
        target = storages["default"]
        if isinstance(target, FileSystemStorage):
            raise CommandError("The default storage is the local disk: set MEDIA_STORAGE=s3 first.")
        root = Path(source or settings.MEDIA_ROOT)
        if not root.is_dir():
            raise CommandError(f"{root} is not a folder.")
        files = sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))
        total_bytes = sum(p.stat().st_size for p in files)
        copied = skipped = failed = 0
        done_bytes = 0
        for number, path in enumerate(files, start=1):
            name = path.relative_to(root).as_posix()
            size = path.stat().st_size
            if _same(target, name, path, size):
                skipped += 1
            elif dry_run:
                copied += 1
            else:
                with open(path, "rb") as fh:
                    # _save writes exactly this key; save() would pick another name on a clash.
                    target._save(name, File(fh, name=name))
                if _same(target, name, path, size):
                    copied += 1
                else:
                    failed += 1
                    self.stderr.write(f"\nnot verified after copying: {name}")
            done_bytes += size
            self._progress(number, len(files), done_bytes, total_bytes)
        verb = "would copy" if dry_run else "copied"
        self.stdout.write(
            f"\n{verb} {copied}, already in the bucket {skipped}, failed {failed} "
            f"({len(files)} files, {total_bytes / 1e6:.1f} MB)"
        )
        if failed:
            raise CommandError(f"{failed} files were not verified in the bucket; run it again.")

    def _progress(self, number, count, done_bytes, total_bytes):
        width = 30
        filled = int(width * done_bytes / total_bytes) if total_bytes else width
        line = (
            f"[{'#' * filled}{'.' * (width - filled)}] {number}/{count} files, "
            f"{done_bytes / 1e6:.1f}/{total_bytes / 1e6:.1f} MB"
        )
        if getattr(sys.stdout, "isatty", lambda: False)() or number == count:
            self.stdout.write(f"\r{line}", ending="")
            self.stdout.flush()


def _same(target, name: str, path: Path, size: int) -> bool:
    try:
        if not target.exists(name) or target.size(name) != size:
            return False
    except OSError:
        return False
    etag = _etag(target, name)
    if etag and "-" not in etag:  # a single-part upload's ETag is its MD5
        return etag == _md5(path)
    return True


def _etag(target, name: str) -> str:
    obj = getattr(target, "bucket", None)
    if obj is None:
        return ""
    try:
        return target.bucket.Object(target._normalize_name(name)).e_tag.strip('"')
    except Exception:  # a bucket that reports none: the size check stands
        return ""


def _md5(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)
    with open(path, "rb") as fh:
        while chunk := fh.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()
