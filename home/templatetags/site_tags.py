from django import template
from django.conf import settings
from django.utils import translation

from wagtail.models import Page


register = template.Library()

LANGUAGE_NAMES = {"fa": "فارسی", "en": "English"}


@register.simple_tag(takes_context=True)
def language_links(context):
    """Links to this page in the other languages: its translation, else that language's home."""
    page = context.get("page")
    translations = {}
    if isinstance(page, Page):
        for other in page.get_translations().live().select_related("locale"):
            translations[other.locale.language_code] = other.url
    current = translation.get_language()
    return [
        {
            "code": code,
            "name": LANGUAGE_NAMES.get(code, code),
            "url": translations.get(code)
            or ("/" if code == settings.LANGUAGE_CODE else f"/{code}/"),
        }
        for code, _name in settings.LANGUAGES
        if code != current
    ]
