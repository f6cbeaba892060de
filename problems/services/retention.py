"""Retention of the code checks: a mobile typed on the report form is personal data.

A MobileCheck is of use while its code is valid and its cookie lives (an hour); after
PROBLEM_MOBILE_CHECK_RETENTION_HOURS it is deleted. The SMS it sent keeps no link to it
(sms rows have no database cascade), and the daily code cap counts SMS rows, not checks.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from ..models import MobileCheck


logger = logging.getLogger(__name__)

BATCH = 5000  # short deletes: the form keeps writing checks while the purge runs


def purge_mobile_checks(*, now=None) -> int:
    """Delete checks older than the retention period; safe to run twice or at once."""
    cutoff = (now or timezone.now()) - timedelta(
        hours=settings.PROBLEM_MOBILE_CHECK_RETENTION_HOURS
    )
    deleted = 0
    while True:
        ids = list(
            MobileCheck.objects.filter(created_at__lt=cutoff).values_list("pk", flat=True)[:BATCH]
        )
        if not ids:
            break
        deleted += MobileCheck.objects.filter(pk__in=ids).delete()[0]
    if deleted:
        logger.info("retention: deleted %d problem code checks older than %s", deleted, cutoff)
    return deleted
