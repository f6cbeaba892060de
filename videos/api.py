"""Renditions and poster of a video in the Wagtail API v2's media endpoint (`/api/v2/media/`)."""

from wagtail.api.utils import get_full_url

from rest_framework.fields import ReadOnlyField

from . import sources


def rendition_representation(media, request) -> list[dict]:
    """Web copies smallest first, then the original: {name, url, type, size, width, height, media}."""
    return [
        {
            "name": source.name,
            "url": get_full_url(request, source.url),
            "type": source.type,
            "size": source.size,
            "width": source.width,
            "height": source.height,
            "media": source.media,
        }
        for source in sources.sources(media)
    ]


def poster_representation(media, request) -> str | None:
    url = sources.poster_url(media)
    return get_full_url(request, url) if url else None


class RenditionsField(ReadOnlyField):
    def get_attribute(self, instance):
        return instance

    def to_representation(self, media):
        if media.type != "video":
            return []
        return rendition_representation(media, self.context.get("request"))


class PosterURLField(ReadOnlyField):
    def get_attribute(self, instance):
        return instance

    def to_representation(self, media):
        return poster_representation(media, self.context.get("request"))
