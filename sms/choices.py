from django.db import models
from django.utils.translation import gettext_lazy as _


# The kinds of message the apps send; the gateway itself needs only HELP and OPT_OUT, and
# treats the purposes in outbox.TRANSACTIONAL as asked for (sent even after an opt-out).
class SmsPurpose(models.TextChoices):
    VERIFICATION = "verification", _("Verification code")
    RECEIPT = "receipt", _("Receipt with tracking code")
    LINK = "link", _("Link to finish the form")
    HELP = "help", _("Help reply")
    OPT_OUT = "opt_out", _("Opt-out confirmation")
    # A change in something the person sent (a report's status): suppressed after an opt-out.
    UPDATE = "update", _("Status update")


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
