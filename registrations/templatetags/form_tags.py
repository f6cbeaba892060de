from django import template


register = template.Library()


@register.simple_tag
def field_widget(field):
    """The field's input, tied to its help text and errors for screen readers."""
    described_by = []
    if field.errors:
        described_by.append(f"{field.auto_id}-errors")
    if field.help_text:
        described_by.append(f"{field.auto_id}-help")
    attrs = {}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
