from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.template.response import TemplateResponse

from wagtail.models import Locale, Page

from .persian import normalize


def search(request):
    query = normalize(request.GET.get("q", ""))[:200]
    results = Page.objects.none()
    if query:
        results = (
            Page.objects.live().public().filter(locale=Locale.get_active()).specific().search(query)
        )
    paginator = Paginator(results, 10)
    try:
        page_obj = paginator.page(request.GET.get("page", 1))
    except PageNotAnInteger:
        page_obj = paginator.page(1)
    except EmptyPage:
        page_obj = paginator.page(paginator.num_pages)
    return TemplateResponse(
        request,
        "search/search.html",
        {"search_query": request.GET.get("q", ""), "page_obj": page_obj},
    )
