"""Wagtail API v2 pages endpoint whose `?search=` folds Persian spellings like the site search."""

from django.conf import settings

from wagtail.api.v2.filters import SearchFilter
from wagtail.api.v2.utils import BadRequestError
from wagtail.api.v2.views import PagesAPIViewSet
from wagtail.search.backends import get_search_backend
from wagtail.search.backends.base import FilterFieldError, OrderByFieldError

from .services import build_query, query_terms


class PersianSearchFilter(SearchFilter):
    """`?search=` normalised and split like the site search (`search.services`).

    Wagtail's own filter hands the raw string to the backend: Arabic ي/ك, ZWNJ, tatweel or
    Persian digits then miss, and a stray `"` is a database error on SQLite. Here the query
    is the normalised words only, with `?search_operator=and|or` (default and).
    """

    def filter_queryset(self, request, queryset, view):
        if "search" not in request.GET:
            return queryset
        if not getattr(settings, "WAGTAILAPI_SEARCH_ENABLED", True):
            raise BadRequestError("search is disabled")
        if getattr(queryset, "_filtered_by_tag", False):
            raise BadRequestError("filtering by tag with a search query is not supported")
        operator = (request.GET.get("search_operator") or "and").lower()
        if operator not in {"and", "or"}:
            raise BadRequestError("search_operator must be 'and' or 'or'")

        search_query = build_query(query_terms(request.GET["search"]), operator)
        if search_query is None:
            return queryset.none()
        try:
            return get_search_backend().search(
                search_query, queryset, order_by_relevance="order" not in request.GET
            )
        except FilterFieldError as e:
            raise BadRequestError(
                f"cannot filter by '{e.field_name}' while searching (field is not indexed)"
            ) from e
        except OrderByFieldError as e:
            raise BadRequestError(
                f"cannot order by '{e.field_name}' while searching (field is not indexed)"
            ) from e


class PersianPagesAPIViewSet(PagesAPIViewSet):
    filter_backends = [
        PersianSearchFilter if backend is SearchFilter else backend
        for backend in PagesAPIViewSet.filter_backends
    ]
