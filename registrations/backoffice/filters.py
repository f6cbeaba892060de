"""Filters of the SMS listing; the registrations listing's are in registrations/filters.py."""

from django.utils.translation import gettext_lazy as _

from wagtail.admin.filters import WagtailFilterSet

import django_filters

from sms import purposes
from sms.choices import SmsStatus
from sms.models import SmsMessage


class SmsMessageFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("status"), choices=SmsStatus.choices)
    purpose = django_filters.ChoiceFilter(label=_("purpose"), choices=purposes.choices)
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
