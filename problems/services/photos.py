"""Report photos: images only, size-checked, re-encoded so no EXIF or other metadata is kept.

Re-encoding with Pillow (already there for Wagtail) is the dependable way to drop every
metadata block (EXIF GPS, XMP, IPTC, comments): copying pixels keeps none of them.
"""

import io

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from PIL import Image, ImageOps, UnidentifiedImageError


FORMATS = {"JPEG", "PNG", "WEBP"}
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
MAX_SIDE = 2000  # stored photos are scaled down to this: a phone's 12 MP photo is 4 MB


def check(upload) -> None:
    """Refuse anything that is not a JPEG/PNG/WebP image of a sensible size (Persian error)."""
    if upload.size > settings.PROBLEM_PHOTO_MAX_BYTES:
        raise ValidationError(
            _("Each photo must be at most %(mb)s MB.")
            % {"mb": settings.PROBLEM_PHOTO_MAX_BYTES // (1024 * 1024)}
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format not in FORMATS:
                raise ValidationError(_("Photos must be JPEG, PNG or WebP images."))
            if image.width * image.height > MAX_PIXELS:
                raise ValidationError(_("This photo is too large."))
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError) as error:
        raise ValidationError(_("Photos must be JPEG, PNG or WebP images.")) from error
    finally:
        upload.seek(0)


def strip(upload) -> ContentFile:
    """The photo as a fresh JPEG: turned upright, scaled down, with no metadata at all."""
    upload.seek(0)
    with Image.open(upload) as image:
        image = ImageOps.exif_transpose(image)
        image = image.convert("RGB")
        image.thumbnail((MAX_SIDE, MAX_SIDE))
        clean = Image.new("RGB", image.size)
        clean.paste(image)
    out = io.BytesIO()
    clean.save(out, format="JPEG", quality=85, optimize=True)
    return ContentFile(out.getvalue(), name="photo.jpg")
