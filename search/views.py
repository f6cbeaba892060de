from django.conf import settings
from django.template.response import TemplateResponse

from wagtail.models import Locale

from rest_framework.decorators import api_view, renderer_classes
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from .services import search_pages


def search(request):
    """The search page, over the pages of the language it is served in."""
    outcome = search_pages(request.GET.get("q", ""), Locale.get_active(), request.GET.get("page"))
    return TemplateResponse(request, "search/search.html", {"search": outcome})


@api_view(["GET"])
@renderer_classes([JSONRenderer])
def search_api(request: Request) -> Response:
    """The site search as JSON: `?q=` words, `?locale=` fa (default) or en, `?page=` number.

    Each result has the page's title, its full URL and an HTML snippet in which the
    matched words are wrapped in <mark> (the rest is escaped text).
    """
    code = request.query_params.get("locale") or settings.LANGUAGE_CODE
    locale = Locale.objects.filter(language_code=code).first()
    if locale is None:
        return Response({"message": f"unknown locale: {code[:20]}"}, status=400)
    outcome = search_pages(
        request.query_params.get("q", ""), locale, request.query_params.get("page")
    )
    page = outcome.page
    return Response(
        {
            "query": outcome.query,
            "locale": locale.language_code,
            "total": outcome.total,
            "page": page.number,
            "pages": page.paginator.num_pages,
            "per_page": page.paginator.per_page,
            "results": [
                {
                    "title": hit.title,
                    "url": hit.page.get_full_url(request),
                    "snippet": str(hit.snippet_html),
                }
                for hit in outcome.hits
            ],
        }
    )
