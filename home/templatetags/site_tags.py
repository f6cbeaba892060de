from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from wagtail.models import Page


register = template.Library()

LANGUAGE_NAMES = {"fa": "فارسی", "en": "English"}


@register.simple_tag(takes_context=True)
def language_links(context):
    """Links to this page in the other languages.

    A Wagtail page links to its published translation (else that language's home); any
    other view (the registration form, search) links to the same view in the other language.
    """
    request = context.get("request")
    page = context.get("page")
    serving_page = isinstance(page, Page) and request is not None and request.path == page.url
    translations = {}
    if serving_page:
        for other in page.get_translations().live().select_related("locale"):
            translations[other.locale.language_code] = other.url
    current = translation.get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        if code == current:
            continue
        if serving_page or request is None:
            url = translations.get(code) or ("/" if code == settings.LANGUAGE_CODE else f"/{code}/")
        else:
            url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": LANGUAGE_NAMES.get(code, code), "url": url})
    return links
