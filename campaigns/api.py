"""How campaign content looks in the Wagtail API v2: absolute file URLs and image renditions.

Headless clients get everything they need to rebuild a block without a second request:
the video file's address and type, the poster's rendition address, a linked page's URL.
"""

from django.utils import translation

from wagtail.api.utils import get_full_url
from wagtail.images.models import SourceImageIOError

from rest_framework.fields import Field

from videos.api import poster_representation, rendition_representation


# Rendition sizes match the templates, so the API and the HTML pages share renditions.
POSTER_RENDITION = "fill-960x540"
GOAL_IMAGE_RENDITION = "fill-480x270"


def _request(context):
    return (context or {}).get("request")


def image_representation(image, filter_spec: str, context=None) -> dict | None:
    """The rendition of `image` for `filter_spec` as {id, url, width, height, alt}, or None."""
    if image is None:
        return None
    try:
        rendition = image.get_rendition(filter_spec)
    except SourceImageIOError:
        # The original file is gone: a client shows no image rather than a broken one.
        return None
    return {
        "id": image.pk,
        "url": get_full_url(_request(context), rendition.url),
        "width": rendition.width,
        "height": rendition.height,
        "alt": getattr(image, "default_alt_text", "") or "",
    }


def media_representation(media, context=None) -> dict | None:
    """A wagtailmedia file as {id, title, url, type, width, height, duration, thumbnail_url,
    poster_url, renditions}.

    `renditions` lists the web copies smallest first (url, type, size in bytes, width,
    height, and the screens they are meant for), then the original, so a client can choose;
    until processing is done it holds the original alone.
    """
    if media is None:
        return None
    request = _request(context)
    return {
        "id": media.pk,
        "title": media.title,
        "url": get_full_url(_request(context), media.url),
        "type": media.sources[0]["type"],
        "width": media.width,
        "height": media.height,
        "duration": media.duration,
        "thumbnail_url": (
            get_full_url(_request(context), media.thumbnail.url) if media.thumbnail else None
        ),
        "poster_url": poster_representation(media, request),
        "renditions": rendition_representation(media, request),
    }


def page_link_representation(page, context=None) -> dict | None:
    """A chosen page as {id, title, url}, the URL absolute and in the page's own language."""
    if page is None:
        return None
    request = _request(context)
    url = page.get_url(request=request)
    return {
        "id": page.pk,
        "title": page.title,
        "url": get_full_url(request, url) if url else None,
    }


class RegistrationURLField(Field):
    """The campaign's web registration form, in the page's language; null while registration is closed."""

    def __init__(self, **kwargs):
        kwargs.setdefault("source", "*")
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, page):
        with translation.override(page.locale.language_code):
            url = page.registration_url
        return get_full_url(self.context.get("request"), url) if url else None
