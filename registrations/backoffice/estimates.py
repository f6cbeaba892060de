"""The unfiltered registrations listing's count, estimated on a large PostgreSQL table.

An exact COUNT(*) of a million rows reads the whole table (or its index) on every page
view; PostgreSQL keeps a row estimate per table (`pg_class.reltuples`, refreshed by
autovacuum and ANALYZE) that is good to a few percent. Below ESTIMATE_FROM rows, on
SQLite, or with any filter or search, the count stays exact.
"""

from django.db import connection
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wagtail.admin.paginator import WagtailPaginator

from persian.templatetags.persian import fa_digits


ESTIMATE_FROM = 100_000
DEFERRED_JOIN_FROM = 5_000  # offset from which a page's ids are fetched first


def estimated_rows(model) -> int | None:
    """PostgreSQL's estimate of the table's rows, or None when there is none (or SQLite)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [model._meta.db_table],
        )
        row = cursor.fetchone()
    return row[0] if row and row[0] >= 0 else None


class EstimatedCountPaginator(WagtailPaginator):
    """A paginator whose count is the table's estimate when the table is large."""

    def __init__(self, *args, estimate: bool = False, **kwargs):
        self.estimate = estimate
        super().__init__(*args, **kwargs)

    @cached_property
    def estimated(self) -> int | None:
        if not self.estimate:
            return None
        rows = estimated_rows(self.object_list.model)
        return rows if rows is not None and rows >= ESTIMATE_FROM else None

    def page(self, number):
        # A deep page (OFFSET 500,000) read with every column visits every skipped row in
        # the table; its 50 ids alone come from the (created_at, id) index (migration 0009).
        page = super().page(number)
        bottom = (page.number - 1) * self.per_page
        if bottom >= DEFERRED_JOIN_FROM and hasattr(page.object_list, "values_list"):
            window = self.object_list.values_list("pk", flat=True)[bottom : bottom + self.per_page]
            page.object_list = self.object_list.filter(pk__in=list(window))
        return page

    @cached_property
    def count(self):
        return self.estimated if self.estimated is not None else super().count

    @cached_property
    def items_count_label(self):
        if self.estimated is None:
            return super().items_count_label
        count = f"{self.estimated:,}"
        if (get_language() or "").startswith("fa"):
            count = fa_digits(count.replace(",", "٬"))  # Persian thousands separator
        # Persian counts take the singular ("حدود ۱٬۰۰۰ ثبت‌نام"), English the plural.
        return _("about %(count)s %(items)s") % {
            "count": count,
            "item": self.verbose_name,
            "items": self.verbose_name_plural,
        }
