"""Public atlas pages and downloads: aggregated, suppressed figures only, cached like pages."""

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from interventions.choices import Stage
from registrations.choices import ActivityField, Capacity, Province

from . import aggregates, layers
from . import render as draw


def _layer(slug: str, figures: dict) -> layers.Layer:
    layer = layers.get(slug, figures)
    if layer is None:
        raise Http404(_("There is no such map."))
    return layer


def _cacheable(response: HttpResponse) -> HttpResponse:
    # The same figures for every visitor: the page cache keeps it (sitecache.pagecache).
    response.page_cacheable = True
    return response


SORTS = {"name", "-name", "count", "-count"}


def _sorted(cells: list[layers.Cell], sort: str) -> list[layers.Cell]:
    key = sort.lstrip("-")
    if key == "count":
        ordered = sorted(cells, key=lambda c: (c.value, c.name))
    else:
        ordered = sorted(cells, key=lambda c: c.name)
    return ordered[::-1] if sort.startswith("-") else ordered


def atlas(request, slug: str = "groups"):
    figures = aggregates.current()
    layer = _layer(slug, figures)
    sort = request.GET.get("sort", "-count")
    if sort not in SORTS:
        sort = "-count"
    cells = layers.cells(layer, figures)
    groups: dict[str, list[layers.Layer]] = {}
    for each in layers.all_layers(figures):
        groups.setdefault(str(each.group), []).append(each)
    response = render(
        request,
        "atlas/atlas.html",
        {
            "layer": layer,
            "map": draw.svg(layer, figures),
            "rows": [
                {
                    "cell": cell,
                    "figure": draw.figure(layer, cell),
                    "url": draw.province_url(cell.province),
                }
                for cell in _sorted(cells, sort)
            ],
            "sort": sort,
            "layer_groups": groups,
            "date": draw.data_date(figures),
            "gap_explanation": layers.gap_explanation(figures) if layer.kind == "gap" else "",
        },
    )
    return _cacheable(response)


def province(request, province: str):
    if province not in Province.values:
        raise Http404(_("There is no such province."))
    figures = aggregates.current()

    def shown(counts: dict) -> str:
        n = counts.get(province, 0)
        return draw.number(n if n >= layers.SUPPRESS_BELOW else None)

    def ranked(dimension: str, choices) -> list[dict]:
        rows = [
            {
                "name": str(choice.label),
                "n": figures[dimension].get(choice.value, {}).get(province, 0),
            }
            for choice in choices
        ]
        rows.sort(key=lambda row: -row["n"])
        return [
            {"name": row["name"], "figure": draw.number(row["n"] if row["n"] >= 5 else None)}
            for row in rows
        ]

    gap = next(c for c in layers.gap_cells(figures) if c.province == province)
    response = render(
        request,
        "atlas/province.html",
        {
            "province_name": Province(province).label,
            "groups": shown(figures["groups"]),
            "problems": shown(figures.get("problems", {})),
            "gap": draw.figure(layers.get("gap"), gap),
            "gap_url": reverse("atlas:layer", args=["gap"]),
            "top_problems": top_problems(figures, province),
            "interventions": shown(figures.get("interventions_under_way", {})),
            "stages": [
                {
                    "name": stage.label,
                    "figure": shown(figures.get("interventions", {}).get(stage.value, {})),
                }
                for stage in Stage
            ],
            "capacities": ranked("capacity", Capacity),
            "activities": ranked("activity", ActivityField),
            "date": draw.data_date(figures),
        },
    )
    return _cacheable(response)


TOP_PROBLEMS = 10


def top_problems(figures: dict, province: str) -> list[dict]:
    """The province's most verified problems, most first; only those with 5 or more (the
    rest would be cells under 5, and their order would rank them)."""
    persian = draw.is_persian()
    rows = [
        (n, info["fa"] if persian else info["en"])
        for slug, info in figures.get("types", {}).items()
        if (n := figures.get("problem_types", {}).get(slug, {}).get(province, 0))
        >= layers.SUPPRESS_BELOW
    ]
    rows.sort(key=lambda row: (-row[0], row[1]))
    return [{"name": name, "figure": draw.number(n)} for n, name in rows[:TOP_PROBLEMS]]


def map_svg(request, slug: str):
    figures = aggregates.current()
    svg = draw.svg(_layer(slug, figures), figures, standalone=True)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="atlas-{slug}.svg"'
    return response


def map_png(request, slug: str):
    figures = aggregates.current()
    response = HttpResponse(draw.png(_layer(slug, figures), figures), content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="atlas-{slug}.png"'
    return response


def table_csv(request, slug: str):
    figures = aggregates.current()
    text = draw.table_csv(_layer(slug, figures), figures)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="atlas-{slug}.csv"'
    return response
