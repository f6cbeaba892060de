from django.template.response import TemplateResponse

from wagtail.models import Locale

from .services import search_pages


def search(request):
    """The search page, over the pages of the language it is served in."""
    outcome = search_pages(request.GET.get("q", ""), Locale.get_active(), request.GET.get("page"))
    return TemplateResponse(request, "search/search.html", {"search": outcome})
