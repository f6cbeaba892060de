"""Filters of the registrations listing (django-filter, as Wagtail's listings use), shared
by the back office and the atlas's staff map.

Dates are typed and shown in the Solar Hijri calendar, in any digit script; the lists of
fields of activity and capacities are JSON arrays: on PostgreSQL matched by containment
(`@>`, on a GIN index: migration 0007), on SQLite by the quoted code in the text.
"""

from django.db import connection
from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet

import django_filters

from persian.filters import JalaliDateFilter

from .choices import ActivityField, Capacity, Kind, Province, Source, Status
from .models import Registration


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
