"""The staff map: the registrations listing's filters applied, every count shown (no suppression).

One context for two places: the admin page /admin/atlas/ and the panel on the Wagtail
dashboard (the same map, the same filters read from the dashboard's query string).
"""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.admin.ui.components import Component

from persian.jalali import format_jalali
from registrations import summaries
from registrations.choices import Province
from registrations.filters import RegistrationFilterSet
from registrations.models import Registration

from . import layers
from . import render as draw


DAYS = 14
PERMISSION = "registrations.view_registration"


def staff_context(request) -> dict:
    """The filtered counts per province, the map of them and sign-ups per day per province."""
    filters = RegistrationFilterSet(
        request.GET or None, queryset=Registration.objects.all(), request=request
    )
    filtered = filters.is_bound and filters.is_valid()
    queryset = filters.qs if filtered else Registration.objects.all()
    if filtered:
        by_province = dict(
            queryset.exclude(province="").order_by().values_list("province").annotate(n=Count("id"))
        )
    else:
        # Unfiltered: the trigger-kept summary rows, one small query whatever the table's size.
        by_province = {p: n for p, n in summaries.totals()["province"].items() if p}
    figures = {"groups": by_province, "at": timezone.now().isoformat()}
    layer = layers.Layer("staff", _("Registrations map"), _("registrations"), lambda f: f["groups"])
    today = timezone.localdate()
    start = today - datetime.timedelta(days=DAYS - 1)
    per_day: dict[str, dict[datetime.date, int]] = {}
    rows = (
        queryset.filter(created_at__date__gte=start)
        .exclude(province="")
        .annotate(day=TruncDate("created_at"))
        .order_by()
        .values_list("province", "day")
        .annotate(n=Count("id"))
    )
    for province, day, n in rows:
        per_day.setdefault(province, {})[day] = n
    days = [start + datetime.timedelta(days=i) for i in range(DAYS)]
    persian = draw.is_persian()
    return {
        "filters": filters,
        "map": draw.svg(layer, figures, suppress=False),
        "days": [
            format_jalali(day, "%-d %B") if persian else day.strftime("%d %b") for day in days
        ],
        "per_day": [
            {
                "name": province.label,
                "total": draw.number(by_province.get(province.value, 0)),
                "cells": [draw.number(per_day.get(province.value, {}).get(day, 0)) for day in days],
            }
            for province in Province
        ],
    }


def staff_map(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    context = staff_context(request)
    context["header_title"] = _("Registrations map")
    return render(request, "atlas/admin/staff_map.html", context)


class StaffMapPanel(Component):
    """The staff map on the admin dashboard, under the registrations panel."""

    name = "atlas_staff_map"
    order = 60

    def __init__(self, request):
        self.request = request

    def render_html(self, parent_context=None):
        context = staff_context(self.request)
        context["action"] = reverse("wagtailadmin_home")
        context["full_url"] = reverse("atlas_staff_map")
        return render_to_string("atlas/admin/home_panel.html", context, request=self.request)
