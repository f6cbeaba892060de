"""Data retention: registrations older than the configured age are deleted or anonymised.

Run by `manage.py purge_old_registrations` (a dry run unless told to commit). Each run that
changes something writes one entry per campaign to Wagtail's audit log ("site history" in
the admin, and the campaign page's history), so staff can see when and how much was removed.

SMS rows older than the cutoff (outbound texts hold codes and links, inbound ones the
sender's number) are deleted in both modes; opt-outs are kept, since honouring them is the
reason they exist.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import CharField, Count, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.log_actions import LogFormatter, log

from sms.models import InboundSms, SmsMessage

from ..models import Registration


logger = logging.getLogger(__name__)

ACTION = "registrations.retention"
ANONYMISED_PREFIX = "anonymised-"

# Everything that names or reaches a person; kind, province, city, activities, capacities,
# sizes, status and dates stay for the campaign's statistics.
_BLANKED = {
    "organisation_name": "",
    "national_id": "",
    "permit_number": "",
    "experience": "",
    "representative_name": "",
    "national_code": "",
    "email": "",
    "extra_answers": {},
    "rejection_reason": "",
    "code_hash": "",
    "code_expires_at": None,
}


@dataclass
class RetentionReport:
    cutoff: datetime
    anonymise: bool
    committed: bool
    by_campaign: dict[int, int] = field(default_factory=dict)
    sms_messages: int = 0
    inbound_sms: int = 0

    @property
    def registrations(self) -> int:
        return sum(self.by_campaign.values())


def _old_registrations(cutoff: datetime, anonymise: bool):
    old = Registration.objects.filter(created_at__lt=cutoff)
    if anonymise:
        old = old.exclude(mobile__startswith=ANONYMISED_PREFIX)
    return old


def purge(
    *, older_than_days: int, anonymise: bool = False, commit: bool = False
) -> RetentionReport:
    """Delete (or anonymise) what is older than `older_than_days`; with commit=False, only count."""
    if older_than_days < 1:
        raise ValueError("older_than_days must be at least 1")
    cutoff = timezone.now() - timedelta(days=older_than_days)
    report = RetentionReport(cutoff=cutoff, anonymise=anonymise, committed=commit)
    with transaction.atomic():
        old = _old_registrations(cutoff, anonymise)
        report.by_campaign = {
            row["campaign"]: row["n"]
            for row in old.order_by().values("campaign").annotate(n=Count("pk"))
        }
        old_sms = SmsMessage.objects.filter(created_at__lt=cutoff)
        old_inbound = InboundSms.objects.filter(received_at__lt=cutoff)
        report.sms_messages = old_sms.count()
        report.inbound_sms = old_inbound.count()
        if not commit:
            return report
        if anonymise:
            old.update(
                **_BLANKED,
                mobile=Concat(Value(ANONYMISED_PREFIX), Cast("pk", output_field=CharField())),
            )
        else:
            old.delete()
        old_sms.delete()
        old_inbound.delete()
        _audit(report, older_than_days)
    logger.info(
        "retention: %s %d registrations, deleted %d SMS and %d received SMS older than %s",
        "anonymised" if anonymise else "deleted",
        report.registrations,
        report.sms_messages,
        report.inbound_sms,
        cutoff.date().isoformat(),
    )
    return report


def _audit(report: RetentionReport, older_than_days: int) -> None:
    from campaigns.models import CampaignPage

    for campaign in CampaignPage.objects.filter(pk__in=report.by_campaign):
        log(
            campaign,
            ACTION,
            data={
                "mode": "anonymise" if report.anonymise else "delete",
                "count": report.by_campaign[campaign.pk],
                "older_than_days": older_than_days,
                "cutoff": report.cutoff.isoformat(),
            },
        )


class RetentionLogFormatter(LogFormatter):
    label = _("Old registrations removed (retention)")

    def format_message(self, log_entry):
        data = log_entry.data
        if data.get("mode") == "anonymise":
            message = _("%(count)s registrations older than %(days)s days were anonymised")
        else:
            message = _("%(count)s registrations older than %(days)s days were deleted")
        return message % {"count": data.get("count"), "days": data.get("older_than_days")}


@hooks.register("register_log_actions")
def register_retention_action(actions):
    actions.register_action(ACTION)(RetentionLogFormatter)
