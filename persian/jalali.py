"""Solar Hijri (Jalali) dates for Persian pages and exports."""

import datetime
import functools

import jdatetime

from .text import to_persian_digits


def format_jalali(value: datetime.date, fmt: str = "%-d %B %Y") -> str:
    """`۱۲ اسفند ۱۴۰۳`: a date or (local) datetime in the Jalali calendar with Persian digits."""
    if isinstance(value, datetime.datetime):
        converted = jdatetime.datetime.fromgregorian(datetime=value, locale="fa_IR")
    else:
        converted = jdatetime.date.fromgregorian(date=value, locale="fa_IR")
    # jdatetime has no %-d (day without a leading zero).
    return to_persian_digits(converted.strftime(fmt.replace("%-d", str(converted.day))))


@functools.lru_cache(maxsize=4096)
def jalali_day(day: datetime.date) -> str:
    """`1403/12/29` in ASCII digits: sorts as text.

    Built from jdatetime's arithmetic rather than its strftime, which costs a locale lookup
    per call (most of a 100,000-row export's time); cached because rows share few days.
    """
    year, month, date = jdatetime.GregorianToJalali(day.year, day.month, day.day).getJalaliList()
    return f"{year:04d}/{month:02d}/{date:02d}"
