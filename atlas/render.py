"""The choropleth as SVG, drawn on the server: inline on the pages, and the downloads.

The PNG: CairoSVG draws the shapes, but its text has no shaping or bidi (Persian letters
come out unjoined and in the wrong order), so the text is left out of the SVG it rasterises
and painted afterwards by Pillow with libraqm (HarfBuzz + FriBiDi) in Vazirmatn.
"""

import csv
import io
import math
from functools import cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from persian.jalali import format_jalali
from persian.text import to_persian_digits

from . import aggregates, layers, shapes
from .numbers import decimal, is_persian, number


__all__ = ["decimal", "is_persian", "number", "svg", "png", "table_csv", "figure"]


WIDTH, HEIGHT, TOP = 1080, 1260, -90  # the viewBox: 0 -90 1080 1260


def figure(layer: layers.Layer, cell: layers.Cell) -> str:
    """The words for one province's cell: the count, or for the gap the ratio and its parts."""
    if layer.kind != "gap":
        return number(cell.count)
    if cell.count is None:
        return _("fewer than 5 verified problems")
    problems = number(cell.count)
    if cell.able == 0:
        return _("%(problems)s verified problems, no approved group able to address them") % {
            "problems": problems
        }
    if cell.ratio is None:
        return _("%(problems)s verified problems, fewer than 5 groups able to address them") % {
            "problems": problems
        }
    return _("%(ratio)s problems per able group (%(problems)s problems, %(groups)s groups)") % {
        "ratio": decimal(cell.ratio),
        "problems": problems,
        "groups": number(cell.able),
    }


def data_date(figures: dict) -> str:
    when = timezone.localtime(aggregates.taken_at(figures))
    if is_persian():
        return format_jalali(when, "%-d %B %Y، %H:%M")
    return when.strftime(f"{when.day} %B %Y, %H:%M")


def province_url(province: str) -> str:
    return reverse("atlas:province", args=[province])


def _texts(layer, legend_rows, date: str, persian: bool, figures: dict) -> list[dict]:
    """Every text of the map with where it goes: one list for the SVG and the PNG painter."""
    edge = 1050 if persian else 30
    anchor = "end" if persian else "start"  # the reading side, whatever the renderer's bidi
    texts = [
        {"x": edge, "y": -45, "size": 36, "bold": True, "anchor": anchor, "text": str(layer.title)},
        {"x": edge, "y": -8, "size": 24, "anchor": anchor, "text": f"{layer.legend} — {date}"},
    ]
    for swatch in legend_rows:
        texts.append(
            {
                "x": swatch["x"] - 8 if persian else swatch["x"] + 44,
                "y": 1126,
                "size": 20 if layer.kind == "gap" else 22,
                "anchor": anchor,
                "text": swatch["label"],
            }
        )
    if layer.kind == "gap":
        # What high and low mean, a sentence a line above the legend (below the map).
        sentences = layers.gap_explanation(figures).split(". ")
        for line, sentence in enumerate(sentences):
            end = "" if sentence.endswith(".") else "."
            texts.append(
                {
                    "x": edge,
                    "y": 1048 + 28 * line,
                    "size": 20,
                    "anchor": anchor,
                    "text": sentence + end,
                }
            )
    for text in texts:
        text.setdefault("bold", False)
        text["fill"] = "#1a1a1a"
    return texts


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
    date = data_date(figures)
    return {
        "layer": layer,
        "provinces": [
            {
                "cell": cell,
                "d": outlines[cell.province],
                "url": province_url(cell.province),
                "figure": figure(layer, cell),
            }
            for cell in rows
        ],
        "legend": swatches,
        "texts": _texts(layer, swatches, date, persian, figures),
        "date": date,
        "persian": persian,
        "viewbox": f"0 {TOP} {WIDTH} {HEIGHT}",
    }


def svg(
    layer: layers.Layer,
    figures: dict,
    *,
    suppress: bool = True,
    standalone: bool = False,
    with_text: bool = True,
) -> str:
    context = map_context(layer, figures, suppress=suppress)
    context["standalone"] = standalone
    context["with_text"] = with_text
    return render_to_string("atlas/map.svg", context).strip()


FONTS = Path(settings.BASE_DIR) / "static" / "fonts"


@cache
def _font(size: int, bold: bool):
    from PIL import ImageFont

    name = "Vazirmatn-Bold.woff2" if bold else "Vazirmatn-Regular.woff2"
    return ImageFont.truetype(str(FONTS / name), size, layout_engine=ImageFont.Layout.RAQM)


def paint_text(image, texts: list[dict], *, persian: bool) -> None:
    """Shaped text (joined letters, right to left) painted on the rasterised map."""
    from PIL import ImageDraw

    draw = ImageDraw.Draw(image)
    for text in texts:
        draw.text(
            (text["x"], text["y"] - TOP),
            text["text"],
            font=_font(text["size"], text["bold"]),
            fill=text["fill"],
            anchor="rs" if text["anchor"] == "end" else "ls",
            direction="rtl" if persian else "ltr",
            language="fa" if persian else "en",
        )


def png(layer: layers.Layer, figures: dict, *, suppress: bool = True) -> bytes:
    # CairoSVG needs the system's libcairo2 (.ci/run and the Dockerfile install it).
    import cairosvg
    from PIL import Image

    context = map_context(layer, figures, suppress=suppress)
    shapes_only = svg(layer, figures, suppress=suppress, standalone=True, with_text=False)
    raster = cairosvg.svg2png(bytestring=shapes_only.encode("utf-8"), output_width=WIDTH)
    image = Image.open(io.BytesIO(raster)).convert("RGB")
    paint_text(image, context["texts"], persian=context["persian"])
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def table_csv(layer: layers.Layer, figures: dict, *, suppress: bool = True) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    header = ["province", "province_name", "count", "suppressed", "data_at"]
    if layer.kind == "gap":
        header[3:3] = ["able_groups", "ratio"]
    writer.writerow(header)
    for cell in layers.cells(layer, figures, suppress=suppress):
        suppressed = cell.count is None
        row = [
            cell.province,
            cell.name,
            "" if suppressed else cell.count,
            suppressed,
            figures["at"],
        ]
        if layer.kind == "gap":
            ratio = "" if cell.ratio is None or math.isinf(cell.ratio) else f"{cell.ratio:.2f}"
            row[3:3] = ["" if cell.able is None else cell.able, ratio]
        writer.writerow(row)
    return out.getvalue()
