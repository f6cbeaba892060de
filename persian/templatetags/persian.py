"""Template filters for Persian pages: Persian digits and Solar Hijri (Jalali) dates.

Both filters follow the active language, so one template serves fa and en.
"""

import datetime

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from persian.jalali import format_jalali
from persian.text import to_persian_digits


register = template.Library()


def _is_persian() -> bool:
    return (get_language() or "").startswith("fa")


@register.filter
def fa_digits(value):
    """Persian digits on Persian pages; the value unchanged elsewhere."""
    if value is None:
        return ""
    text = str(value)
    return to_persian_digits(text) if _is_persian() else text


@register.filter
def jalali(value, fmt="%-d %B %Y"):
    """A date or datetime in the reader's calendar: Jalali with Persian digits on fa pages.

    Datetimes are shown in the site's time zone (Asia/Tehran).
    """
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    if not _is_persian():
        return value.strftime(fmt.replace("%-d", str(value.day)))
    return format_jalali(value, fmt)
