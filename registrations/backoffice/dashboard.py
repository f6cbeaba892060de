"""Figures for the back-office dashboard: what the campaign is gathering, in a few queries.

The whole-table figures come from the trigger-kept summary rows (registrations/summaries.py):
one query whatever the number of registrations. A filtered set (a queryset given) is
counted with aggregate queries over it. Charts are drawn server-side as inline SVG
geometry (no script, no CDN: staff may not reach one).
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from sms.choices import SmsStatus
from sms.models import SmsGatewayState

from .. import summaries
from ..choices import ActivityField, Capacity, Province, Status


DAYS = 30
# Messages handed to a provider: the denominator of the delivery rate.
HANDED_OVER = (SmsStatus.SENT, SmsStatus.DELIVERED, SmsStatus.FAILED, SmsStatus.UNKNOWN)


@dataclass
class Bar:
    code: str
    label: str
    count: int
    percent: float  # of the largest bar, for the chart's length


def _bars(counts: dict[str, int], choices) -> list[Bar]:
    largest = max(counts.values(), default=0) or 1
    bars = [
        Bar(value, str(label), counts.get(value, 0), 100 * counts.get(value, 0) / largest)
        for value, label in choices
    ]
    return sorted(bars, key=lambda bar: -bar.count)


def _json_list_counts(queryset, field: str, choices) -> dict[str, int]:
    """How many registrations list each code, in one scan (conditional aggregation)."""
    return queryset.aggregate(
        **{
            value: Count("pk", filter=Q(**{f"{field}__icontains": f'"{value}"'}))
            for value, _label in choices
        }
    )


def _figures(by_status, by_province, by_activity, by_capacity, per_day) -> dict:
    return {
        "total": sum(by_status.values()),
        "by_status": [
            Bar(value, str(label), by_status.get(value, 0), 0) for value, label in Status.choices
        ],
        "by_province": _bars(by_province, Province.choices),
        "by_activity": _bars(by_activity, ActivityField.choices),
        "by_capacity": _bars(by_capacity, Capacity.choices),
        "per_day": per_day,
    }


def _days(counts: dict[datetime.date, int], days: int, today: datetime.date | None) -> list[dict]:
    today = today or timezone.localdate()
    first = today - datetime.timedelta(days=days - 1)
    return [
        {
            "day": first + datetime.timedelta(days=i),
            "count": counts.get(first + datetime.timedelta(days=i), 0),
        }
        for i in range(days)
    ]


def registration_figures(queryset=None, totals=None) -> dict:
    """The dashboard's figures: of every registration (summary rows), or of `queryset`."""
    if queryset is None:
        totals = summaries.totals() if totals is None else totals
        per_day = {datetime.date.fromisoformat(day): n for day, n in totals["day"].items() if day}
        return _figures(
            totals["status"],
            {code: n for code, n in totals["province"].items() if code},
            totals["activity"],
            totals["capacity"],
            _days(per_day, DAYS, None),
        )
    by_status = dict(
        queryset.order_by().values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    by_province = dict(
        queryset.exclude(province="")
        .order_by()
        .values_list("province")
        .annotate(n=Count("pk"))
        .values_list("province", "n")
    )
    return _figures(
        by_status,
        by_province,
        _json_list_counts(queryset, "fields_of_activity", ActivityField.choices),
        _json_list_counts(queryset, "capacities", Capacity.choices),
        signups_per_day(queryset),
    )


def signups_per_day(queryset, days: int = DAYS, today: datetime.date | None = None) -> list[dict]:
    """Sign-ups on each of the last `days` days (Tehran dates), zero days included."""
    today = today or timezone.localdate()
    first = today - datetime.timedelta(days=days - 1)
    start = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
    return _days(_counts_per_day(queryset, start), days, today)


def _counts_per_day(queryset, start) -> dict[datetime.date, int]:
    return dict(
        queryset.filter(created_at__gte=start)
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values_list("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )


def sms_figures(totals=None) -> dict:
    """Delivery of every SMS, from the summary rows (pass `totals` to reuse a read)."""
    by_status = (summaries.totals() if totals is None else totals)["sms_status"]
    handed = sum(by_status.get(status, 0) for status in HANDED_OVER)
    delivered = by_status.get(SmsStatus.DELIVERED, 0)
    state = SmsGatewayState.objects.filter(pk=1, paused_at__isnull=False).first()
    return {
        "total": sum(by_status.values()),
        "by_status": [
            Bar(value, str(label), by_status.get(value, 0), 0) for value, label in SmsStatus.choices
        ],
        "handed_over": handed,
        "delivered": delivered,
        "failed": by_status.get(SmsStatus.FAILED, 0),
        "queued": by_status.get(SmsStatus.QUEUED, 0),
        "delivery_rate": round(100 * delivered / handed, 1) if handed else None,
        "paused": state,
    }


# --- SVG geometry ---------------------------------------------------------------------


def column_chart(points: list[dict], width: int = 720, height: int = 180) -> dict:
    """Bars for sign-ups per day: x, y, width and height of each, in SVG user units."""
    largest = max((p["count"] for p in points), default=0) or 1
    slot = width / max(len(points), 1)
    bars = []
    for i, point in enumerate(points):
        bar_height = round(height * point["count"] / largest, 1)
        bars.append(
            {
                **point,
                "x": round(i * slot + slot * 0.1, 1),
                "y": round(height - bar_height, 1),
                "width": round(slot * 0.8, 1),
                "height": bar_height,
                "label_x": round(i * slot + slot / 2, 1),
            }
        )
    return {"bars": bars, "width": width, "height": height, "largest": largest}
