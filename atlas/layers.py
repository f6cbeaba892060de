"""The atlas's layers: a small registry so each source (registrations, problems, interventions)
adds its own.

A layer is a name, a title and legend, a palette and a function giving {province: count}
from the cached figures (atlas.aggregates). Layers that depend on data (one per problem
category) come from a *family*: a function of the figures returning layers. Public pages and
the API show every layer the same way: suppressed under `SUPPRESS_BELOW`, coloured in
`CLASSES` classes. The gap layer (`kind="gap"`) is a ratio on the diverging palette.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _now
from django.utils.translation import gettext_lazy as _

from interventions.choices import Stage
from registrations.choices import ActivityField, Capacity, Province

from .numbers import decimal


SUPPRESS_BELOW = 5
CLASSES = 5
# ColorBrewer YlGnBu and PuOr (5 classes): both read by people with the common colour
# blindnesses. The diverging one runs from purple (capacity to spare) to orange (missing).
PALETTES = {
    "sequential": ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
    "diverging": ("#5e3c99", "#b2abd2", "#f7f7f7", "#fdb863", "#e66101"),
}
SUPPRESSED_FILL = "#e0e0e0"
# The gap's classes: a province's problems per able group over the national ratio.
GAP_STEPS = (0.5, 0.8, 1.25, 2.0)


class Named:
    """A title from the data (a problem category): Persian or English by the active language."""

    def __init__(self, fa: str, en: str):
        self.fa, self.en = fa, en

    def __str__(self):
        return self.en if (get_language() or "").startswith("en") else self.fa

    def __eq__(self, other):
        return isinstance(other, Named) and (self.fa, self.en) == (other.fa, other.en)

    def __hash__(self):
        return hash((self.fa, self.en))


@dataclass(frozen=True)
class Layer:
    slug: str
    title: Promise | str | Named
    legend: Promise | str
    counts: Callable[[dict], dict[str, int]]
    group: Promise | str = ""
    palette: str = "sequential"
    kind: str = "count"  # or "gap"


_REGISTRY: dict[str, Layer] = {}
_FAMILIES: list[Callable[[dict], list[Layer]]] = []


def register(layer: Layer) -> Layer:
    _REGISTRY[layer.slug] = layer
    return layer


def register_family(family: Callable[[dict], list[Layer]]):
    _FAMILIES.append(family)
    return family


def _figures(figures: dict | None) -> dict:
    if figures is None:
        from . import aggregates

        figures = aggregates.current()
    return figures


def all_layers(figures: dict | None = None) -> list[Layer]:
    """The fixed layers, then those the data brings (families), in registration order."""
    figures = _figures(figures)
    result = []
    for entry in _ORDER:
        if isinstance(entry, str):
            result.append(_REGISTRY[entry])
        else:
            result.extend(entry(figures))
    return result


def get(slug: str, figures: dict | None = None) -> Layer | None:
    if slug in _REGISTRY:
        return _REGISTRY[slug]
    return next((layer for layer in all_layers(figures) if layer.slug == slug), None)


@dataclass(frozen=True)
class Cell:
    province: str
    name: str
    count: int | None  # None: suppressed (on the gap layer: the verified problems)
    colour: str
    level: int  # 0 suppressed, 1..CLASSES
    ratio: float | None = None  # gap layer: problems per able group (inf: no able group)
    able: int | None = None  # gap layer: able groups, None when under 5 (or suppressed)
    kind: str = "count"

    @property
    def value(self) -> tuple:
        """What the table sorts by: the class, then the count or the gap's ratio."""
        if self.level == 0:
            return (0, -1)
        if self.kind == "gap":
            # A hidden ratio sorts first in its class: its place tells nothing of the groups.
            return (self.level, -1 if self.ratio is None else self.ratio)
        return (self.level, self.count)


def cells(layer: Layer, figures: dict, *, suppress: bool = True) -> list[Cell]:
    """One cell per province: its count (None when suppressed) and its colour class."""
    if layer.kind == "gap":
        return gap_cells(figures, suppress=suppress)
    counts = layer.counts(figures)
    shown = {p: counts.get(p, 0) for p in Province.values}
    if suppress:
        shown = {p: (n if n >= SUPPRESS_BELOW else None) for p, n in shown.items()}
    top = max((n for n in shown.values() if n), default=0)
    palette = PALETTES[layer.palette]
    result = []
    for province in Province:
        n = shown[province.value]
        if n is None or top == 0 or n == 0:
            level, colour = 0, SUPPRESSED_FILL
        else:
            # Equal steps up to the largest count: the province with the most is darkest.
            level = max(1, -(-n * CLASSES // top))
            colour = palette[level - 1]
        result.append(Cell(province.value, str(province.label), n, colour, level))
    return result


def national_ratio(figures: dict) -> float | None:
    """Verified open problems per able group, over the provinces that have problems."""
    problems = sum(figures.get("problems", {}).values())
    able = sum(figures.get("able", {}).values())
    return problems / able if able else None


def _gap_level(ratio: float, national: float | None) -> int:
    if national is None or math.isinf(ratio):
        return CLASSES
    relative = ratio / national
    return 1 + sum(1 for step in GAP_STEPS if relative >= step)


def gap_cells(figures: dict, *, suppress: bool = True) -> list[Cell]:
    """The gap: per province, verified open problems / approved groups able to address them.

    Suppressed (grey) under 5 problems. With 1–4 able groups the ratio is not shown (it would
    give the number of groups away) and the colour is that of the smallest ratio the public
    figures allow, problems / 4: "at least" this gap. No able group at all: the top class.
    """
    national = national_ratio(figures)
    problems, able = figures.get("problems", {}), figures.get("able", {})
    palette = PALETTES["diverging"]
    result = []
    for province in Province:
        p, a = problems.get(province.value, 0), able.get(province.value, 0)
        name = str(province.label)
        if p == 0 or (suppress and p < SUPPRESS_BELOW):
            result.append(
                Cell(province.value, name, None if suppress else p, SUPPRESSED_FILL, 0, kind="gap")
            )
            continue
        if a == 0:
            ratio, shown_ratio, shown_able = math.inf, math.inf, 0
        elif suppress and a < SUPPRESS_BELOW:
            ratio, shown_ratio, shown_able = p / (SUPPRESS_BELOW - 1), None, None
        else:
            ratio = shown_ratio = p / a
            shown_able = a
        level = _gap_level(ratio, national)
        result.append(
            Cell(province.value, name, p, palette[level - 1], level, shown_ratio, shown_able, "gap")
        )
    return result


def legend(layer: Layer, figures: dict, *, suppress: bool = True) -> list[tuple[str, str]]:
    """(colour, label) per class: the range of counts (or of the gap) each colour stands for."""
    if layer.kind == "gap":
        return gap_legend(figures, suppress=suppress)
    counts = [c.count for c in cells(layer, figures, suppress=suppress) if c.count]
    top = max(counts, default=0)
    rows = []
    low = SUPPRESS_BELOW if suppress else 1
    for level in range(1, CLASSES + 1):
        high = top * level // CLASSES
        if top and high >= low:
            rows.append((PALETTES[layer.palette][level - 1], f"{low}–{high}"))
            low = high + 1
    rows.append((SUPPRESSED_FILL, str(_("fewer than 5")) if suppress else "0"))
    return rows


def gap_legend(figures: dict, *, suppress: bool = True) -> list[tuple[str, str]]:
    """Low to high, as multiples of the national ratio: purple has capacity to spare, orange lacks it."""
    palette = PALETTES["diverging"]
    half, low, high, double = (decimal(step) for step in GAP_STEPS)
    rows = [
        (palette[0], _now("under %(x)s×") % {"x": half}),
        (palette[1], f"{half}–{low}×"),
        (palette[2], f"{low}–{high}×"),
        (palette[3], f"{high}–{double}×"),
        (palette[4], _now("over %(x)s×") % {"x": double}),
        (SUPPRESSED_FILL, str(_("fewer than 5")) if suppress else _now("no problem")),
    ]
    return rows


def gap_explanation(figures: dict) -> str:
    """What high and low mean, in one sentence, with the national ratio."""
    national = national_ratio(figures)
    if national is None:
        return _now(
            "Orange: verified problems and no approved group able to address them; "
            "purple: more able groups than problems."
        )
    return _now(
        "Times the national ratio of %(ratio)s verified problems per able group. "
        "Orange: capacity missing (more problems per able group); purple: capacity to spare."
    ) % {"ratio": decimal(national)}


register(
    Layer(
        "groups",
        _("Approved groups"),
        _("approved groups"),
        lambda figures: figures["groups"],
    )
)
for _capacity in Capacity:
    register(
        Layer(
            f"capacity-{_capacity.value}",
            _capacity.label,
            _("approved groups offering it"),
            lambda figures, code=_capacity.value: figures["capacity"].get(code, {}),
            group=_("By capacity type"),
        )
    )
for _field in ActivityField:
    register(
        Layer(
            f"activity-{_field.value}",
            _field.label,
            _("approved groups working in it"),
            lambda figures, code=_field.value: figures["activity"].get(code, {}),
            group=_("By field of activity"),
        )
    )
register(
    Layer(
        "problems",
        _("Verified problems"),
        _("verified problems, not yet resolved"),
        lambda figures: figures.get("problems", {}),
        group=_("Problems"),
    )
)


@register_family
def problem_category_layers(figures: dict) -> list[Layer]:
    """One layer per problem category of the taxonomy (staff add categories as snippets)."""
    return [
        Layer(
            f"problems-{category['slug']}",
            Named(category["fa"], category["en"]),
            _("verified problems, not yet resolved"),
            lambda f, slug=category["slug"]: f.get("problem_categories", {}).get(slug, {}),
            group=_("Problems by category"),
        )
        for category in figures.get("categories", [])
    ]


register(
    Layer(
        "gap",
        _("Where capacity is missing"),
        _("verified problems per approved group able to address them"),
        lambda figures: figures.get("problems", {}),
        group=_("Problems and capacity"),
        palette="diverging",
        kind="gap",
    )
)

register(
    Layer(
        "interventions",
        _("Interventions under way"),
        _("interventions under way (every stage but closed)"),
        lambda figures: figures.get("interventions_under_way", {}),
        group=_("Interventions by stage"),
    )
)
for _stage in Stage:
    register(
        Layer(
            f"interventions-{_stage.value}",
            _stage.label,
            _("interventions at this stage"),
            lambda figures, code=_stage.value: figures.get("interventions", {}).get(code, {}),
            group=_("Interventions by stage"),
        )
    )

# The order pages and the API list the layers in: capacity, problems, the gap, interventions.
_ORDER: list = [
    *(
        slug
        for slug in _REGISTRY
        if slug not in {"problems", "gap"} and not slug.startswith("interventions")
    ),
    "problems",
    problem_category_layers,
    "gap",
    *(slug for slug in _REGISTRY if slug.startswith("interventions")),
]
