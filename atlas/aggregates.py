"""Per-province counts behind every atlas layer, counted in one query and kept in the cache.

Why a recount rather than the summary rows (registrations/summaries.py): the atlas needs
province × status × capacity/field, which those one-dimension rows do not hold. One
grouped pass over the approved rows is cheap enough (bench/README.md), and it runs on a
cache miss or when beat refreshes the figures (`atlas.tasks.refresh_atlas`), never per view.
"""

import datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from registrations.choices import Status
from registrations.summaries import _json_elements_sql


CACHE_KEY = "atlas:aggregates:v1"


def _recount_sql() -> tuple[str, list]:
    table = "registrations_registration"
    where = "r.status = %s AND r.province <> ''"
    parts = [
        f"SELECT 'groups', '', r.province, COUNT(*) FROM {table} r "  # noqa: S608 - fixed names
        f"WHERE {where} GROUP BY r.province"
    ]
    params = [Status.APPROVED.value]
    for dimension, column in (("activity", "fields_of_activity"), ("capacity", "capacities")):
        source, element, count = _json_elements_sql(column)
        parts.append(
            f"SELECT '{dimension}', {element}, r.province, {count} "  # noqa: S608 - fixed names
            f"FROM {table} r, {source} WHERE {where} GROUP BY {element}, r.province"
        )
        params.append(Status.APPROVED.value)
    return " UNION ALL ".join(parts), params


def compute() -> dict:
    """{"at": ISO time, "groups": {province: n}, "capacity": {code: {province: n}}, "activity": …}."""
    figures: dict = {"groups": {}, "capacity": {}, "activity": {}}
    sql, params = _recount_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for dimension, code, province, n in cursor.fetchall():
            if dimension == "groups":
                figures["groups"][province] = n
            else:
                figures[dimension].setdefault(code, {})[province] = n
    figures["at"] = timezone.now().isoformat()
    return figures


def current() -> dict:
    """The cached figures, counted first when the cache has none."""
    figures = cache.get(CACHE_KEY)
    if figures is None:
        figures = compute()
        cache.set(CACHE_KEY, figures, timeout=settings.ATLAS_CACHE_SECONDS)
    return figures


def refresh() -> bool:
    """Recount and store; True when the figures changed (then cached pages must be purged)."""
    before = cache.get(CACHE_KEY)
    figures = compute()
    cache.set(CACHE_KEY, figures, timeout=settings.ATLAS_CACHE_SECONDS)
    strip = lambda f: {k: v for k, v in (f or {}).items() if k != "at"}  # noqa: E731
    return strip(before) != strip(figures)


def taken_at(figures: dict) -> datetime.datetime:
    return datetime.datetime.fromisoformat(figures["at"])
