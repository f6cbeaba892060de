"""Figures as readers see them: Persian digits and separators on Persian pages."""

from django.utils import translation
from django.utils.translation import gettext as _

from persian.text import to_persian_digits


def is_persian() -> bool:
    return (translation.get_language() or "").startswith("fa")


def number(n: int | None) -> str:
    """A count as readers see it: "fewer than 5" when suppressed, Persian digits on fa."""
    if n is None:
        return _("fewer than 5")
    return to_persian_digits(f"{n:,}".replace(",", "٬")) if is_persian() else f"{n:,}"


def decimal(x: float, places: int = 2) -> str:
    """A ratio with at most two decimals (Persian decimal separator on fa)."""
    text = f"{x:.{places}f}".rstrip("0").rstrip(".")
    return to_persian_digits(text.replace(".", "٫")) if is_persian() else text
