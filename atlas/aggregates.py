"""Per-province counts behind every atlas layer, counted in five queries and kept in the cache.

Why a recount rather than the summary rows (registrations/summaries.py): the atlas needs
province × status × capacity/field and which groups can address which problem, which those
one-dimension rows do not hold. The approved rows are grouped once by (province, fields,
capacities) — a few thousand distinct combinations, whatever the number of rows — and
expanded here; the verified reports by (problem, province, status), interventions by (stage,
province). It runs on a
cache miss or when beat refreshes the figures (`atlas.tasks.refresh_atlas`), never per view
(bench/README.md: under 2 s at 1M registrations and 200k reports).
"""

import datetime
import json
from collections import defaultdict

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from interventions.choices import Stage
from interventions.models import Intervention
from problems.choices import PUBLIC_STATUSES, ReportStatus
from problems.models import Problem, ProblemCategory
from registrations.choices import Status


CACHE_KEY = "atlas:aggregates:v2"
# The problems the map shows: verified and not yet resolved (the need still there).
OPEN_VERIFIED = (ReportStatus.VERIFIED.value, ReportStatus.IN_INTERVENTION.value)


def _codes(value) -> frozenset[str]:
    """A row's list of codes, whatever the driver hands back (jsonb decoded, or SQLite text)."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return frozenset()
    if not isinstance(value, list):
        return frozenset()
    return frozenset(code for code in value if isinstance(code, str))


def able_to_address(fields: frozenset, capacities: frozenset, problem: dict) -> bool:
    """A group can address a problem when it works in one of the problem's fields of activity
    and offers one of its capacities (a side the taxonomy leaves empty asks nothing)."""
    wanted_fields, wanted_capacities = problem["fields"], problem["capacities"]
    if not wanted_fields and not wanted_capacities:
        return False
    return (not wanted_fields or bool(fields & wanted_fields)) and (
        not wanted_capacities or bool(capacities & wanted_capacities)
    )


def _taxonomy() -> tuple[list[dict], dict[str, dict]]:
    categories = [
        {"slug": c.slug, "fa": c.name_fa, "en": c.name_en}
        for c in ProblemCategory.objects.order_by("sort_order", "pk")
    ]
    problems = {}
    for problem in Problem.objects.select_related("category").order_by(
        "category__sort_order", "sort_order", "pk"
    ):
        problems[problem.slug] = {
            "fa": problem.name_fa,
            "en": problem.name_en,
            "category": problem.category.slug,
            "fields": frozenset(problem.fields_of_activity or []),
            "capacities": frozenset(problem.capacities or []),
        }
    return categories, problems


def _count_registrations(figures: dict) -> dict[str, dict[int, int]]:
    """Fill groups/capacity/activity; return {province: {problem mask: groups}} for the gap."""
    sql = (
        "SELECT r.province, r.fields_of_activity, r.capacities, COUNT(*) "
        "FROM registrations_registration r WHERE r.status = %s AND r.province <> '' "
        "GROUP BY r.province, r.fields_of_activity, r.capacities"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [Status.APPROVED.value])
        rows = cursor.fetchall()
    problems = figures["_problems"]
    masks: dict[tuple, int] = {}
    by_mask: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    groups, capacity, activity = figures["groups"], figures["capacity"], figures["activity"]
    for province, fields_value, capacities_value, n in rows:
        fields, capacities = _codes(fields_value), _codes(capacities_value)
        groups[province] = groups.get(province, 0) + n
        for code in fields:
            per = activity.setdefault(code, {})
            per[province] = per.get(province, 0) + n
        for code in capacities:
            per = capacity.setdefault(code, {})
            per[province] = per.get(province, 0) + n
        key = (fields, capacities)
        if key not in masks:
            # Bit i: this combination can address problem i (the taxonomy's order).
            masks[key] = sum(
                1 << i
                for i, problem in enumerate(problems.values())
                if able_to_address(fields, capacities, problem)
            )
        by_mask[province][masks[key]] += n
    return by_mask


def _count_reports(figures: dict) -> None:
    sql = (
        "SELECT p.slug, r.province, r.status, COUNT(*) FROM problems_report r "  # noqa: S608 - placeholders only
        "JOIN problems_problem p ON p.id = r.problem_id "
        f"WHERE r.status IN ({', '.join(['%s'] * len(PUBLIC_STATUSES))}) "
        "GROUP BY p.slug, r.province, r.status"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [status.value for status in PUBLIC_STATUSES])
        rows = cursor.fetchall()
    problems = figures["_problems"]
    for slug, province, status, n in rows:
        figures["verified"][province] = figures["verified"].get(province, 0) + n
        if status not in OPEN_VERIFIED or slug not in problems:
            continue
        figures["problems"][province] = figures["problems"].get(province, 0) + n
        per_type = figures["problem_types"].setdefault(slug, {})
        per_type[province] = per_type.get(province, 0) + n
        per_category = figures["problem_categories"].setdefault(problems[slug]["category"], {})
        per_category[province] = per_category.get(province, 0) + n


def _count_interventions(figures: dict) -> None:
    rows = (
        Intervention.objects.order_by()
        .values_list("stage", "province")
        .annotate(n=Count("id"))
        .values_list("stage", "province", "n")
    )
    for stage, province, n in rows:
        figures["interventions"].setdefault(stage, {})[province] = n
        if stage != Stage.CLOSED:
            under_way = figures["interventions_under_way"]
            under_way[province] = under_way.get(province, 0) + n


def compute() -> dict:
    """The figures of every layer:

    groups {province: n}, capacity/activity {code: {province: n}} (approved registrations);
    problems {province: n}, problem_categories/problem_types {slug: {province: n}} (verified,
    open reports); verified {province: n} (ever verified: the counter); able {province: n}
    (approved groups able to address a problem verified there: the gap layer); categories and
    types (their names); interventions {stage: {province: n}} and interventions_under_way
    {province: n} (every stage but closed); at.
    """
    categories, problems = _taxonomy()
    figures: dict = {
        "groups": {},
        "capacity": {},
        "activity": {},
        "problems": {},
        "problem_categories": {},
        "problem_types": {},
        "verified": {},
        "able": {},
        "interventions": {},
        "interventions_under_way": {},
        "_problems": problems,
    }
    by_mask = _count_registrations(figures)
    _count_reports(figures)
    _count_interventions(figures)
    order = list(problems)
    for province, masks in by_mask.items():
        present = sum(
            1 << i
            for i, slug in enumerate(order)
            if figures["problem_types"].get(slug, {}).get(province)
        )
        able = sum(n for mask, n in masks.items() if mask & present)
        if present:
            figures["able"][province] = able
    del figures["_problems"]
    figures["categories"] = categories
    figures["types"] = {
        slug: {"fa": p["fa"], "en": p["en"], "category": p["category"]}
        for slug, p in problems.items()
    }
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
