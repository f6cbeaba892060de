"""Solar Hijri (Jalali) dates typed into staff filters: any digit script, year/month/day."""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

import django_filters
import jdatetime

from .text import to_ascii_digits, to_persian_digits


_JALALI = re.compile(r"(\d{4})\s*[/\-.]\s*(\d{1,2})\s*[/\-.]\s*(\d{1,2})")


class JalaliDate(jdatetime.date):
    """A Jalali date that prints as the reader writes it (Persian digits on Persian pages)."""

    def __str__(self):
        text = f"{self.year:04d}/{self.month:02d}/{self.day:02d}"
        return to_persian_digits(text) if (get_language() or "").startswith("fa") else text


class JalaliDateField(forms.Field):
    default_error_messages = {
        "invalid": _("Enter a Solar Hijri date as year/month/day, for example ۱۴۰۳/۰۱/۱۵."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"placeholder": "۱۴۰۳/۰۱/۱۵", "dir": "ltr", "inputmode": "numeric"}
            ),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        text = to_ascii_digits(str(value or "")).strip()
        if not text:
            return None
        if len(text) > 20:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        match = _JALALI.fullmatch(text)
        if not match:
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        year, month, day = (int(part) for part in match.groups())
        try:
            return JalaliDate(year, month, day)
        except ValueError as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error


def start_of_day(day: datetime.date) -> datetime.datetime:
    """Midnight of the day in the site's time zone (Tehran)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class JalaliDateFilter(django_filters.Filter):
    """`created_at` on or after (or, with `until=True`, on or before) a Jalali day."""

    field_class = JalaliDateField

    def __init__(self, *args, until: bool = False, **kwargs):
        self.until = until
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        day = value.togregorian()
        if self.until:
            return qs.filter(
                **{f"{self.field_name}__lt": start_of_day(day + datetime.timedelta(days=1))}
            )
        return qs.filter(**{f"{self.field_name}__gte": start_of_day(day)})
