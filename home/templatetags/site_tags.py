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


# --- what a search engine or a messaging app shows for a page -------------------------------

DESCRIPTION_WORDS = 30


def first_poster(campaign):
    """The rendition of the campaign's first video poster (the page's largest image), or None."""
    from wagtail.blocks import StreamValue

    from campaigns import renditions
    from campaigns.renditions import SPECS
    from campaigns.templatetags.campaign_tags import rendition

    body = getattr(campaign, "body", None)
    if not isinstance(body, StreamValue):
        return None
    # The body's renditions in the one query the body itself then reuses (`prefetch` skips
    # images already loaded), rather than a query per poster here.
    renditions.prefetch([body])
    for block in body:
        if block.block_type == "video" and block.value.get("poster"):
            return rendition(block.value["poster"], SPECS["video"])
    return None


def _description(subject) -> str:
    from django.utils.text import Truncator

    if subject is None:
        return ""
    text = getattr(subject, "search_description", "") or getattr(subject, "summary", "")
    if not text and hasattr(subject, "search_text"):
        text = subject.search_text()
    return Truncator(" ".join(str(text).split())).words(DESCRIPTION_WORDS)


def _absolute(path: str) -> str:
    return path if path.startswith(("http://", "https://")) else settings.PUBLIC_BASE_URL + path


@register.simple_tag(takes_context=True)
def share_meta(context) -> dict:
    """Title, description, address and poster of the page, for meta and Open Graph tags.

    The subject is the campaign the page shows (the home page's featured one, the one a form
    belongs to), else the page. Its description is the editor's search description, else
    the campaign's summary, else the page's first words; with neither, the site's own.
    """
    from django.utils.translation import gettext

    page = context.get("page")
    subject = context.get("campaign") or page
    request = context.get("request")
    description = _description(subject) or gettext(
        "Register your popular group or NGO with the National Social Participation Movement."
    )
    if isinstance(subject, Page):
        url = subject.get_full_url(request)  # the home page's canonical is its campaign
    else:
        url = _absolute(request.path) if request is not None else settings.PUBLIC_BASE_URL + "/"
    poster = first_poster(subject)
    return {
        "title": getattr(subject, "seo_title", "") or getattr(subject, "title", ""),
        "description": description,
        "url": url,
        "image": _absolute(poster.url) if poster else "",
        "image_width": poster.width if poster else None,
        "image_height": poster.height if poster else None,
        "image_alt": getattr(getattr(poster, "image", None), "default_alt_text", "") or "",
    }


@register.simple_tag
def preload_poster(campaign) -> str:
    """A preload of the first video poster: the page's largest paint, found late otherwise
    (the browser meets it only in the `poster` attribute of a video far down the page)."""
    from django.utils.html import format_html

    poster = first_poster(campaign)
    if poster is None:
        return ""
    return format_html('<link rel="preload" as="image" href="{}" fetchpriority="high">', poster.url)
