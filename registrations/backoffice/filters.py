"""Filters of the registrations listing (django-filter, as Wagtail's listings use).

Dates are typed and shown in the Solar Hijri calendar, in any digit script; the lists of
fields of activity and capacities are JSON arrays: on PostgreSQL matched by containment
(`@>`, on a GIN index: migration 0007), on SQLite by the quoted code in the text.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet

import django_filters
import jdatetime

from persian.text import to_ascii_digits, to_persian_digits
from sms.choices import SmsPurpose, SmsStatus
from sms.models import SmsMessage

from ..choices import ActivityField, Capacity, Kind, Province, Source, Status
from ..models import Registration


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


def json_list_contains(field_name: str):
    def method(queryset, name, value):
        if not value:
            return queryset
        if connection.vendor == "postgresql":
            return queryset.filter(**{f"{field_name}__contains": [value]})
        # SQLite has no JSON containment lookup: the stored array holds codes in double
        # quotes, so match one whole element.
        return queryset.filter(**{f"{field_name}__icontains": f'"{value}"'})

    return method


def _campaigns():
    from wagtail.models import Locale

    from campaigns.models import CampaignPage

    return CampaignPage.objects.filter(locale=Locale.get_default()).order_by("title")


class RegistrationFilterSet(WagtailFilterSet):
    campaign = django_filters.ModelChoiceFilter(
        label=_("campaign"), queryset=lambda request: _campaigns()
    )
    status = django_filters.ChoiceFilter(label=_("status"), choices=Status.choices)
    kind = django_filters.ChoiceFilter(label=_("kind"), choices=Kind.choices)
    province = django_filters.ChoiceFilter(label=_("province"), choices=Province.choices)
    field_of_activity = django_filters.ChoiceFilter(
        label=_("field of activity"),
        choices=ActivityField.choices,
        method=lambda qs, name, value: json_list_contains("fields_of_activity")(qs, name, value),
    )
    capacity = django_filters.ChoiceFilter(
        label=_("capacity"),
        choices=Capacity.choices,
        method=lambda qs, name, value: json_list_contains("capacities")(qs, name, value),
    )
    source = django_filters.ChoiceFilter(label=_("source"), choices=Source.choices)
    created_from = JalaliDateFilter(field_name="created_at", label=_("created from (Solar Hijri)"))
    created_to = JalaliDateFilter(
        field_name="created_at", label=_("created until (Solar Hijri)"), until=True
    )

    class Meta:
        model = Registration
        fields = []


class SmsMessageFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("status"), choices=SmsStatus.choices)
    purpose = django_filters.ChoiceFilter(label=_("purpose"), choices=SmsPurpose.choices)
    provider = django_filters.ChoiceFilter(label=_("provider"), choices=lambda: _providers())

    class Meta:
        model = SmsMessage
        fields = []


def _providers():
    names = (
        SmsMessage.objects.exclude(provider="")
        .order_by("provider")
        .values_list("provider", flat=True)
        .distinct()
    )
    return [(name, name) for name in names]
