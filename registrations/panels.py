from django.utils.translation import gettext as _

from wagtail.admin.panels import FieldPanel

from sms.backends import segment_count


# Typical lengths of what replaces each placeholder, to count the SMS as it will be sent.
PLACEHOLDER_SAMPLES = {
    "{code}": "123456",
    "{tracking_code}": "12345678",
    "{keyword}": "9",
    "{link}": "https://example.ir/s/" + "x" * 56 + "/",
}


def sent_length(text: str) -> str:
    for placeholder, sample in PLACEHOLDER_SAMPLES.items():
        text = text.replace(placeholder, sample)
    return text


class SmsTextPanel(FieldPanel):
    """A text field whose help shows how many SMS parts the text costs once filled in."""

    class BoundPanel(FieldPanel.BoundPanel):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            if self.bound_field is None:
                return
            text = sent_length(str(self.bound_field.value() or ""))
            count = _("%(parts)s SMS part(s), %(chars)s characters once filled in") % {
                "parts": segment_count(text),
                "chars": len(text),
            }
            self.help_text = f"{self.help_text} {count}".strip() if self.help_text else count
