from django.db import models
from django.utils.translation import gettext_lazy as _


class SmsStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    UNKNOWN = "unknown", _("Unknown (needs checking)")
    SUPPRESSED = "suppressed", _("Not sent (number opted out)")


class InboundOutcome(models.TextChoices):
    KEYWORD = "keyword", _("Registration keyword")
    REPEAT = "repeat", _("Repeated keyword, no reply")
    OPT_OUT = "opt_out", _("Opt-out")
    HELP = "help", _("Help reply")
    IGNORED = "ignored", _("Ignored")
