"""What the public sees: verified reports only, no reporter's name or mobile, ever."""

from django.core import signing
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db.models import Prefetch

from ..choices import PUBLIC_STATUSES
from ..models import Report, ReportPhoto, StatusChange


SORTS = {"priority": ("-priority", "-verified_at", "-pk"), "recent": ("-verified_at", "-pk")}
PAGE_SIZE = 20
VERSION_KEY = "problems:public-version"
FOLLOW_SALT = "problems.follow"

# Columns a public page reads; the reporter's fields are never loaded for it.
PUBLIC_COLUMNS = (
    "number",
    "problem",
    "title",
    "description",
    "province",
    "city",
    "neighbourhood",
    "people_affected",
    "since",
    "tried",
    "status",
    "group",
    "show_group_name",
    "support_count",
    "group_support_count",
    "city_support_count",
    "priority",
    "created_at",
    "verified_at",
    "merged_into",
)


def public_reports(
    *, province: str = "", problem: int | None = None, status: str = "", sort: str = "priority"
):
    reports = Report.objects.filter(status__in=PUBLIC_STATUSES)
    if province:
        reports = reports.filter(province=province)
    if problem:
        reports = reports.filter(problem_id=problem)
    if status:
        reports = reports.filter(status=status)
    return (
        reports.select_related("problem", "problem__category")
        .only(
            *PUBLIC_COLUMNS,
            "problem__name_fa",
            "problem__name_en",
            "problem__slug",
            "problem__category__name_fa",
            "problem__category__name_en",
        )
        .order_by(*SORTS.get(sort, SORTS["priority"]))
    )


class IdsFirstPaginator(Paginator):
    """A page's ids are read first (an index-only scan), then its rows, in one query.

    Deep pages walked the sort index fetching every skipped row from the table (page 50 of a
    province's list read 1,000 rows for 20); the ids come from the index alone.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        ids = self.object_list.values("pk")[bottom : bottom + self.per_page]
        return self._get_page(self.object_list.filter(pk__in=ids), number, self)


def public_report(number: str) -> Report | None:
    if not (isinstance(number, str) and number.isascii() and number.isdigit() and len(number) < 9):
        return None
    return (
        Report.objects.filter(number=number, status__in=PUBLIC_STATUSES)
        .select_related("problem", "problem__category", "group")
        .prefetch_related(
            Prefetch(
                "photos",
                queryset=ReportPhoto.objects.only("pk", "report", "image", "width", "height"),
            ),
            Prefetch(
                "history",
                queryset=StatusChange.objects.only(
                    "pk", "report", "status", "reason", "created_at"
                ),
            ),
        )
        .first()
    )


def version() -> int:
    """Bumped by every change the public list shows: part of its cache keys."""
    return cache.get_or_set(VERSION_KEY, 1, timeout=None)


def changed(**kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def follow_token(report: Report) -> str:
    return signing.dumps(report.number, salt=FOLLOW_SALT, compress=True)


def followed_report(token: str) -> Report | None:
    """The report a follow link (sent to its reporter only) is for; None for a bad link."""
    try:
        number = signing.loads(token, salt=FOLLOW_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(number, str):
        return None
    return Report.objects.filter(number=number).prefetch_related("history").first()
