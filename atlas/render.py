"""The choropleth as SVG, drawn on the server: inline on the pages, and the downloads."""

import csv
import io

from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from persian.jalali import format_jalali
from persian.text import to_persian_digits

from . import aggregates, layers, shapes


def is_persian() -> bool:
    return (translation.get_language() or "").startswith("fa")


def number(n: int | None) -> str:
    """A count as readers see it: "fewer than 5" when suppressed, Persian digits on fa."""
    if n is None:
        return _("fewer than 5")
    return to_persian_digits(f"{n:,}".replace(",", "٬")) if is_persian() else f"{n:,}"


def data_date(figures: dict) -> str:
    when = aggregates.taken_at(figures)
    from django.utils import timezone

    when = timezone.localtime(when)
    if is_persian():
        return format_jalali(when, "%-d %B %Y، %H:%M")
    return when.strftime(f"{when.day} %B %Y, %H:%M")


def province_url(province: str) -> str:
    return reverse("atlas:province", args=[province])


def map_context(layer: layers.Layer, figures: dict, *, suppress: bool = True) -> dict:
    outlines = shapes.outlines()
    rows = layers.cells(layer, figures, suppress=suppress)
    persian = is_persian()
    swatches = [
        {"colour": colour, "label": to_persian_digits(label) if persian else label, "x": 0}
        for colour, label in layers.legend(layer, figures, suppress=suppress)
    ]
    for index, swatch in enumerate(swatches):
        # Laid out from the reading side: right to left on Persian pages.
        swatch["x"] = (1004 - 170 * index) if persian else (40 + 170 * index)
    return {
        "layer": layer,
        "provinces": [
            {
                "cell": cell,
                "d": outlines[cell.province],
                "url": province_url(cell.province),
                "figure": number(cell.count),
            }
            for cell in rows
        ],
        "legend": swatches,
        "date": data_date(figures),
        "persian": persian,
        "viewbox": "0 -90 1080 1260",
    }


def svg(layer: layers.Layer, figures: dict, *, suppress: bool = True, standalone=False) -> str:
    context = map_context(layer, figures, suppress=suppress)
    context["standalone"] = standalone
    return render_to_string("atlas/map.svg", context).strip()


def png(svg_text: str) -> bytes:
    # CairoSVG needs the system's libcairo2 (.ci/run and the Dockerfile install it).
    import cairosvg

    return cairosvg.svg2png(bytestring=svg_text.encode("utf-8"), output_width=1080)


def table_csv(layer: layers.Layer, figures: dict, *, suppress: bool = True) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["province", "province_name", "count", "suppressed", "data_at"])
    for cell in layers.cells(layer, figures, suppress=suppress):
        suppressed = cell.count is None
        writer.writerow(
            [cell.province, cell.name, "" if suppressed else cell.count, suppressed, figures["at"]]
        )
    return out.getvalue()
