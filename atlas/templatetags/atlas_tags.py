"""{% atlas_counters %}: the band of live figures on the home and campaign pages."""

from django import template

from registrations.choices import Province

from .. import aggregates, layers
from .. import render as draw


register = template.Library()


def national(per_province: dict) -> str:
    """A national total that never gives a small province away.

    With any province under 5, the exact total minus the shown provinces would give its
    count: it is then rounded down to tens, shown as "N+".
    """
    total = sum(per_province.values())
    small = any(0 < per_province.get(p, 0) < layers.SUPPRESS_BELOW for p in Province.values)
    if small:
        rounded = total - total % 10
        return draw.number(rounded) + "+" if rounded else draw.number(None)
    return draw.number(total)


def counters(figures: dict) -> dict:
    groups = figures["groups"]
    return {
        "groups": national(groups),
        "provinces": draw.number(sum(1 for n in groups.values() if n > 0)),
        "problems": national(figures.get("verified", {})),
        # Under way: every stage but closed.
        "interventions": national(figures.get("interventions_under_way", {})),
    }


@register.inclusion_tag("atlas/counters.html")
def atlas_counters(heading: str = ""):
    return {"heading": heading, **counters(aggregates.current())}
