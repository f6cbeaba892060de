"""The staff map: the registrations listing's filters applied, every count shown (no suppression)."""

import datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.db.models.functions import TruncDate
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from persian.jalali import format_jalali
from registrations.choices import Province
from registrations.filters import RegistrationFilterSet
from registrations.models import Registration

from . import layers
from . import render as draw


DAYS = 14


def staff_map(request):
    if not request.user.has_perm("registrations.view_registration"):
        raise PermissionDenied
    filters = RegistrationFilterSet(
        request.GET or None, queryset=Registration.objects.all(), request=request
    )
    queryset = filters.qs if filters.is_bound and filters.is_valid() else Registration.objects.all()
    by_province = dict(
        queryset.exclude(province="").order_by().values_list("province").annotate(n=Count("id"))
    )
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
    return render(
        request,
        "atlas/admin/staff_map.html",
        {
            "header_title": _("Registrations map"),
            "filters": filters,
            "map": draw.svg(layer, figures, suppress=False),
            "days": [
                format_jalali(day, "%-d %B") if persian else day.strftime("%d %b") for day in days
            ],
            "per_day": [
                {
                    "name": province.label,
                    "total": draw.number(by_province.get(province.value, 0)),
                    "cells": [
                        draw.number(per_day.get(province.value, {}).get(day, 0)) for day in days
                    ],
                }
                for province in Province
            ],
        },
    )
