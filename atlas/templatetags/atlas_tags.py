"""{% atlas_counters %}: the band of live figures on the home and campaign pages."""

from django import template

from registrations.choices import Province

from .. import aggregates, layers
from .. import render as draw


register = template.Library()


def counters(figures: dict) -> dict:
    groups = figures["groups"]
    total = sum(groups.values())
    # With any province under 5, the exact national total would give its count away
    # (total minus the shown provinces): it is then rounded down to tens, shown as "N+".
    small = any(0 < groups.get(p, 0) < layers.SUPPRESS_BELOW for p in Province.values)
    if small:
        rounded = total - total % 10
        groups_figure = draw.number(rounded) + "+" if rounded else draw.number(None)
    else:
        groups_figure = draw.number(total)
    return {
        "groups": groups_figure,
        "provinces": draw.number(sum(1 for n in groups.values() if n > 0)),
    }


@register.inclusion_tag("atlas/counters.html")
def atlas_counters(heading: str = ""):
    return {"heading": heading, **counters(aggregates.current())}
