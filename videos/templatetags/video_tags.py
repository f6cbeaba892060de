from django import template

from videos import sources as video_sources


register = template.Library()


@register.simple_tag
def web_sources(media):
    """`{% web_sources video as sources %}`: renditions smallest first, then the original."""
    return video_sources.sources(media)


@register.simple_tag
def video_poster(media) -> str:
    """`{% video_poster video as poster %}`: the thumbnail or generated poster's URL, or ""."""
    return video_sources.poster_url(media)
