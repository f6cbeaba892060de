"""Small helpers for the back-office templates' inline SVG charts."""

from django import template


register = template.Library()


@register.filter
def bar_start(percent) -> str:
    """Where a bar of this length starts when it grows from the right (RTL pages)."""
    return f"{100 - float(percent or 0):.1f}"
