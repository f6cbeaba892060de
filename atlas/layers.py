"""The atlas's layers: a small registry so later sources (problems, interventions) add theirs.

A layer is a name, a title and legend, a palette and a function giving {province: count}
from the cached figures (atlas.aggregates). Public pages and the API show every layer the
same way: suppressed under `SUPPRESS_BELOW`, coloured in `CLASSES` classes.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from registrations.choices import ActivityField, Capacity, Province


SUPPRESS_BELOW = 5
CLASSES = 5
# ColorBrewer YlGnBu and PuOr (5 classes): both read by people with the common colour blindnesses.
PALETTES = {
    "sequential": ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
    "diverging": ("#e66101", "#fdb863", "#f7f7f7", "#b2abd2", "#5e3c99"),
}
SUPPRESSED_FILL = "#e0e0e0"


@dataclass(frozen=True)
class Layer:
    slug: str
    title: Promise | str
    legend: Promise | str
    counts: Callable[[dict], dict[str, int]]
    group: Promise | str = ""
    palette: str = "sequential"


_REGISTRY: dict[str, Layer] = {}


def register(layer: Layer) -> Layer:
    _REGISTRY[layer.slug] = layer
    return layer


def all_layers() -> list[Layer]:
    return list(_REGISTRY.values())


def get(slug: str) -> Layer | None:
    return _REGISTRY.get(slug)


@dataclass(frozen=True)
class Cell:
    province: str
    name: str
    count: int | None  # None: suppressed
    colour: str
    level: int  # 0 suppressed, 1..CLASSES


def cells(layer: Layer, figures: dict, *, suppress: bool = True) -> list[Cell]:
    """One cell per province: its count (None when suppressed) and its colour class."""
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


def legend(layer: Layer, figures: dict, *, suppress: bool = True) -> list[tuple[str, str]]:
    """(colour, label) per class: the range of counts each colour stands for."""
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
