import re

from django import template
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from persian.templatetags.persian import fa_digits


register = template.Library()

_PLACEHOLDER = re.compile(r"(\{keyword\}|\{line\})")


@register.simple_tag
def sms_instruction(text, campaign):
    """The editor's SMS sentence with the campaign's keyword and line number filled in.

    The line number becomes an `sms:` link, so a phone opens its messaging app with the
    keyword already typed. Digits are shown in the reader's script.
    """
    keyword = getattr(campaign, "sms_keyword", "")
    line = getattr(campaign, "sms_line", "")
    parts = []
    for piece in _PLACEHOLDER.split(text):
        if piece == "{keyword}":
            parts.append(format_html('<strong class="sms-keyword">{}</strong>', fa_digits(keyword)))
        elif piece == "{line}":
            parts.append(
                format_html(
                    '<a class="sms-line" href="sms:{}?body={}" dir="ltr">{}</a>',
                    line,
                    keyword,
                    fa_digits(line),
                )
            )
        else:
            parts.append(conditional_escape(piece))
    return mark_safe("".join(parts))  # noqa: S308 - every piece is escaped above


@register.simple_tag
def rendition(image, spec: str):
    """The image's rendition for a filter spec: `{% rendition image "fill-480x270" as name %}`.

    What `{% image … as name %}` gives, without its cost on every render: Wagtail's
    `get_rendition` writes each rendition it returns to the renditions cache (a Redis write
    per image per render), even one already loaded with the page by `prefetch_renditions`.
    This uses the loaded one and leaves a missing one to Wagtail, which makes it, or shows a
    broken image (not a server error) when the original file is gone, as `{% image %}` does.
    """
    from wagtail.images.models import Filter
    from wagtail.images.shortcuts import get_rendition_or_not_found

    try:
        return image.find_existing_rendition(image.clean_filter_for_svg(Filter(spec=spec)))
    except image.get_rendition_model().DoesNotExist:
        return get_rendition_or_not_found(image, spec)


@register.simple_tag
def prefetch_renditions(campaign) -> str:
    """Load every rendition the campaign's body shows in one query; prints nothing."""
    from campaigns import renditions

    renditions.prefetch([campaign.body])
    return ""
