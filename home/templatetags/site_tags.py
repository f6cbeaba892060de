from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils import translation

from wagtail.models import Page

from sitecache.pagecache import cached_fragment, fragment_key


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
    if isinstance(page, Page) and request is not None and request.path == page.get_url(request):
        key = fragment_key(request, "language-links", page.pk)
        return cached_fragment(key, lambda: _links_to_translations(page, request))
    links = []
    for code, _name in _other_languages():
        if request is None:
            url = "/" if code == settings.LANGUAGE_CODE else f"/{code}/"
        else:
            url = translate_url(request.get_full_path(), code)
        links.append({"code": code, "name": LANGUAGE_NAMES.get(code, code), "url": url})
    return links


def _other_languages():
    current = translation.get_language()
    return [(code, name) for code, name in settings.LANGUAGES if code != current]


def _links_to_translations(page: Page, request) -> list[dict]:
    # Only what a URL needs, from the page table alone: a full row of the page's own type per
    # translation costs more to build than the rest of the header, and `get_url(request)`
    # reuses the request's site root paths.
    translations = (
        Page.objects.translation_of(page)
        .live()
        .select_related("locale")
        .only("url_path", "locale__language_code")
    )
    translations = {other.locale.language_code: other.get_url(request) for other in translations}
    return [
        {
            "code": code,
            "name": LANGUAGE_NAMES.get(code, code),
            "url": translations.get(code)
            or ("/" if code == settings.LANGUAGE_CODE else f"/{code}/"),
        }
        for code, _name in _other_languages()
    ]


class FragmentNode(template.Node):
    def __init__(self, nodelist, parts):
        self.nodelist = nodelist
        self.parts = parts

    def render(self, context):
        parts = [part.resolve(context) for part in self.parts]
        key = fragment_key(context.get("request"), *parts)
        return cached_fragment(key, lambda: self.nodelist.render(context))


@register.tag
def fragment(parser, token):
    """`{% fragment "name" page.pk %}…{% endfragment %}`: the enclosed HTML, kept until the next purge.

    Unlike Django's `{% cache %}`, its keys follow the page cache's purges (see
    `sitecache.pagecache.fragment_key`), so an edit shows at once, and previews bypass it.
    The enclosed HTML must not depend on the visitor (no forms, no user).
    """
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits])
