"""The PNG download's text: Persian shaped (letters joined, right to left) and on the canvas.

CairoSVG draws SVG text with no shaping, so Persian came out as isolated letters in the
wrong order and the right-aligned title ran off the edge; atlas.render paints the text with
Pillow and libraqm instead. Joined letters are fewer separate bodies of ink than isolated
ones, which is what these tests count.
"""

import io

from django.utils import translation

import pytest
from PIL import Image, ImageDraw, ImageFont, features

from atlas import layers, render


FIGURES = {
    "groups": {"tehran": 40, "fars": 12},
    "capacity": {},
    "activity": {},
    "problems": {"tehran": 30, "qom": 6},
    "able": {"tehran": 5},
    "at": "2026-12-04T10:00:00+00:00",
}
TITLE_BAND = (0, 0, 1080, 58)  # the title's line in the PNG (above the subtitle)


def _ink(image: Image.Image) -> set[tuple[int, int]]:
    grey = image.convert("L")
    width, height = grey.size
    data = grey.load()
    return {(x, y) for x in range(width) for y in range(height) if data[x, y] < 128}


def _blots(ink: set[tuple[int, int]], smallest: int = 80) -> int:
    """Connected pieces of ink (8-neighbour) big enough to be letters, not their dots."""
    seen, count = set(), 0
    for start in ink:
        if start in seen:
            continue
        size, stack = 0, [start]
        seen.add(start)
        while stack:
            x, y = stack.pop()
            size += 1
            for dx in (-1, 0, 1):
                for dy in (-1, 0, 1):
                    nxt = (x + dx, y + dy)
                    if nxt in ink and nxt not in seen:
                        seen.add(nxt)
                        stack.append(nxt)
        count += size >= smallest
    return count


def _png(language: str, slug: str = "groups") -> Image.Image:
    with translation.override(language):
        data = render.png(layers.get(slug, FIGURES), FIGURES)
    image = Image.open(io.BytesIO(data))
    assert image.size == (1080, 1260)
    return image


def test_pillow_has_the_text_shaping_engine():
    assert features.check("raqm"), "Pillow without libraqm cannot shape Persian"


def _unshaped_title(text: str) -> Image.Image:
    """The title as a renderer with no shaping draws it (what CairoSVG did)."""
    font = ImageFont.truetype(
        str(render.FONTS / "Vazirmatn-Bold.woff2"), 36, layout_engine=ImageFont.Layout.BASIC
    )
    image = Image.new("RGB", (1080, 70), "white")
    ImageDraw.Draw(image).text((30, 45), text, font=font, fill="black", anchor="ls")
    return image


@pytest.mark.parametrize("slug", ["groups", "gap"])
def test_the_persian_title_is_joined_right_aligned_and_whole(slug):
    band = _png("fa", slug).crop(TITLE_BAND)
    ink = _ink(band)
    xs = [x for x, _ in ink]
    # Right-aligned on the reading side, and wholly on the canvas.
    assert 1040 <= max(xs) <= 1052 and min(xs) > 10
    with translation.override("fa"):
        title = str(layers.get(slug, FIGURES).title)
    # Letters joined: clearly fewer blots than the same title drawn letter by letter.
    shaped, unshaped = _blots(ink), _blots(_ink(_unshaped_title(title)))
    assert shaped < 0.8 * unshaped, (shaped, unshaped)


def test_the_english_title_starts_at_the_left():
    ink = _ink(_png("en").crop(TITLE_BAND))
    assert 28 <= min(x for x, _ in ink) <= 40


def test_the_legend_and_explanation_are_painted():
    image = _png("fa", "gap")
    legend_band = image.crop((0, 1100 + 90 - 30, 1080, 1100 + 90 + 40))
    explanation = image.crop((0, 1048 + 90 - 25, 1080, 1048 + 90 + 8))
    assert len(_ink(legend_band)) > 500 and len(_ink(explanation)) > 500
