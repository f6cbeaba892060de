"""Controlled vocabularies of a problem report: short codes stored, translated labels shown."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    NEW = "new", _("New, awaiting moderation")
    VERIFIED = "verified", _("Verified")
    IN_INTERVENTION = "in_intervention", _("In an intervention")
    RESOLVED = "resolved", _("Resolved")
    MERGED = "merged", _("Merged into another report")
    REJECTED = "rejected", _("Rejected")


# Reports the public sees: verified and what follows it (never new, merged or rejected).
PUBLIC_STATUSES = (ReportStatus.VERIFIED, ReportStatus.IN_INTERVENTION, ReportStatus.RESOLVED)
# Reports a new one may duplicate: still open.
OPEN_STATUSES = (ReportStatus.NEW, ReportStatus.VERIFIED, ReportStatus.IN_INTERVENTION)


class ReportSource(models.TextChoices):
    WEB = "web", _("Web form")
    API = "api", _("API")
    SMS = "sms", _("SMS link")


class PeopleAffected(models.TextChoices):
    FEW = "1-10", _("Up to 10 people")
    DOZENS = "11-100", _("11 to 100 people")
    HUNDREDS = "101-1000", _("101 to 1,000 people")
    THOUSANDS = "1001+", _("More than 1,000 people")
    UNKNOWN = "unknown", _("I do not know")


class Since(models.TextChoices):
    WEEKS = "weeks", _("A few weeks")
    MONTHS = "months", _("A few months")
    YEAR = "year", _("About a year")
    YEARS = "years", _("Several years")
    UNKNOWN = "unknown", _("I do not know")
