"""The SMS outbox: queue a message with the change that caused it, deliver it exactly once.

Every outbound SMS is an `SmsMessage` row written in the caller's transaction. After
commit a Celery task is asked to deliver it; if the broker is down the row simply waits,
and the periodic sweep asks again. Delivery claims the row with a conditional UPDATE, so
two deliveries of the same task, a retry racing the sweep, or a worker killed mid-send
never send twice (Kavenegar also de-duplicates on `localid`, the row's idempotency key).
"""

import logging
import random
from datetime import timedelta
from functools import partial
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from persian.phones import log_mask

from . import purposes
from .backends import (
    AccountSmsError,
    AmbiguousSmsError,
    PermanentSmsError,
    SmsError,
    TransientSmsError,
    get_backend,
)
from .choices import SmsStatus
from .models import SmsGatewayState, SmsMessage, SmsOptOut


logger = logging.getLogger(__name__)


def queue_sms(*, recipient, text: str, purpose: str, subject=None) -> SmsMessage:
    """Write the outbox row now; ask a worker to deliver it once the transaction commits.

    `subject` is whatever the caller sends it for (stored as a generic reference). A
    `purpose` no app declared raises `sms.purposes.UndeclaredPurpose` and writes nothing;
    one its app declared transactional (asked for) is sent even after an opt-out.
    """
    suppressed = (
        not purposes.is_transactional(purpose)
        and SmsOptOut.objects.filter(mobile=recipient).exists()
    )
    message = SmsMessage.objects.create(
        subject=subject,
        recipient=recipient,
        text=text,
        purpose=purpose,
        status=SmsStatus.SUPPRESSED if suppressed else SmsStatus.QUEUED,
        next_attempt_at=None if suppressed else timezone.now(),
    )
    if not suppressed:
        transaction.on_commit(partial(enqueue, message.pk), robust=True)
    return message


# The Celery task's apply_async, set by SmsConfig.ready(): the task module imports this one,
# so this one must not import it back.
_send_task = None


def use_task(apply_async) -> None:
    global _send_task
    _send_task = apply_async


def enqueue(message_id: int) -> None:
    """Hand the message to Celery. A broker outage is logged, not raised: the sweep retries."""
    try:
        _send_task((message_id,))
    except Exception:  # kombu raises a variety of connection errors
        logger.warning("SMS %s not enqueued (broker unavailable); the sweep will retry", message_id)


def backoff_seconds(attempt: int) -> int:
    """Exponential backoff with full jitter, capped well below the broker's visibility timeout."""
    cap = settings.SMS_RETRY_BACKOFF_MAX
    return random.randint(1, min(cap, 2**attempt))  # noqa: S311 - jitter, not security


def deliver(message_id: int) -> int | None:
    """Send one queued message. Returns seconds until a retry is due, or None when done.

    Safe to call any number of times for the same id: only the caller that moves the row
    from queued to sending talks to the provider.
    """
    now = timezone.now()
    message = _claim(message_id, now)
    if message is None:
        return None  # sent or being sent already, or the gateway is paused (sweep resumes)
    backend = get_backend()
    try:
        result = backend.send(
            to=message.recipient, text=message.text, idempotency_key=message.idempotency_key
        )
    except TransientSmsError as error:
        if message.attempts >= settings.SMS_MAX_ATTEMPTS:
            _finish(message, SmsStatus.FAILED, backend.name, error=error)
            logger.error("SMS %s failed after %s attempts: %s", message.pk, message.attempts, error)
            return None
        delay = backoff_seconds(message.attempts)
        _finish(
            message,
            SmsStatus.QUEUED,
            backend.name,
            error=error,
            next_attempt_at=now + timedelta(seconds=delay),
        )
        logger.info("SMS %s: transient error, retry in %ss: %s", message.pk, delay, error)
        return delay
    except AccountSmsError as error:
        _finish(message, SmsStatus.QUEUED, backend.name, error=error, next_attempt_at=now)
        pause_gateway(f"{backend.name}: {error}")
        return None
    except AmbiguousSmsError as error:
        _finish(message, SmsStatus.UNKNOWN, backend.name, error=error)
        logger.error("SMS %s may or may not have been sent; needs checking: %s", message.pk, error)
        return None
    except (PermanentSmsError, SmsError) as error:
        _finish(message, SmsStatus.FAILED, backend.name, error=error)
        logger.warning("SMS %s to %s refused: %s", message.pk, log_mask(message.recipient), error)
        return None
    _mark_sent(
        message.pk,
        SmsStatus.DELIVERED if result.status == "delivered" else SmsStatus.SENT,
        backend.name,
        result.message_id,
    )
    logger.info("SMS %s (%s) sent to %s", message.pk, message.purpose, log_mask(message.recipient))
    return None


class Claimed(NamedTuple):
    """What a worker needs of the row it claimed (a model instance costs more to build)."""

    pk: int
    recipient: str  # E.164, as stored
    text: str
    purpose: str
    attempts: int
    idempotency_key: int


def _claim(message_id: int, now) -> Claimed | None:
    """Move a queued message to sending, unless sending is paused; None when not claimed.

    Hand-written SQL: one UPDATE ... RETURNING (PostgreSQL, SQLite >= 3.35) replaces the
    three round trips Django's ORM needs (pause check, conditional update, fetch), and
    worker throughput is bounded by CPU per message. The WHERE clause is the lock: of
    two workers handed the same task, only one gets a row back.
    """
    table = connection.ops.quote_name(SmsMessage._meta.db_table)
    gateway = connection.ops.quote_name(SmsGatewayState._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, attempts = attempts + 1, updated_at = %s"  # noqa: S608 - table names only
            f" WHERE id = %s AND status = %s AND NOT EXISTS"
            f" (SELECT 1 FROM {gateway} WHERE id = 1 AND paused_at IS NOT NULL)"
            " RETURNING recipient, text, purpose, attempts, idempotency_key",
            [
                SmsStatus.SENDING,
                connection.ops.adapt_datetimefield_value(now),
                message_id,
                SmsStatus.QUEUED,
            ],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    return Claimed(message_id, *row)


def _mark_sent(message_id: int, status: str, provider: str, provider_message_id: str) -> None:
    """Record a successful send in one UPDATE (hand-written for the reason `_claim` is)."""
    table = connection.ops.quote_name(SmsMessage._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, provider = %s, provider_message_id = %s,"  # noqa: S608 - table name only
            " sent_at = %s, last_error = '', next_attempt_at = NULL WHERE id = %s",
            [
                status,
                provider,
                provider_message_id,
                connection.ops.adapt_datetimefield_value(timezone.now()),
                message_id,
            ],
        )


def _finish(message, status, provider, *, error, next_attempt_at=None):
    SmsMessage.objects.filter(pk=message.pk).update(
        status=status,
        provider=provider,
        last_error=str(error)[:1000],
        next_attempt_at=next_attempt_at,
    )


def pause_gateway(reason: str) -> None:
    state = SmsGatewayState.current()
    if state.paused_at is None:
        state.paused_at = timezone.now()
        state.reason = reason[:1000]
        state.save()
        logger.error("SMS sending paused after an account-level provider error: %s", reason)


def resume_gateway() -> int:
    """Clear the pause and ask workers to send everything that waited. Returns how many."""
    SmsGatewayState.objects.filter(pk=1).update(paused_at=None, reason="")
    return sweep(stale_after=timedelta(0))


def sweep(stale_after: timedelta | None = None) -> int:
    """Re-enqueue messages whose task was lost; recover messages a dead worker left sending.

    Runs from Celery beat every minute. Returns how many messages were handed to Celery.
    """
    if SmsGatewayState.objects.filter(pk=1, paused_at__isnull=False).exists():
        return 0
    now = timezone.now()
    stale_after = (
        timedelta(seconds=settings.SMS_SWEEP_GRACE) if stale_after is None else stale_after
    )
    stuck_sending = now - timedelta(seconds=settings.SMS_READ_TIMEOUT + settings.SMS_SWEEP_GRACE)

    backend = get_backend()
    stuck = SmsMessage.objects.filter(status=SmsStatus.SENDING, updated_at__lt=stuck_sending)
    if backend.supports_idempotency:
        # The provider drops a repeated localid, so sending again cannot make a duplicate.
        stuck.update(status=SmsStatus.QUEUED, next_attempt_at=now - stale_after)
    else:
        stuck.update(status=SmsStatus.UNKNOWN, last_error="worker stopped while sending")

    due = list(
        SmsMessage.objects.filter(
            status=SmsStatus.QUEUED, next_attempt_at__lte=now - stale_after
        ).values_list("pk", flat=True)[: settings.SMS_SWEEP_BATCH]
    )
    # Push the next check out, so a slow worker is not handed the same row every minute.
    SmsMessage.objects.filter(pk__in=due).update(
        next_attempt_at=now + timedelta(seconds=settings.SMS_SWEEP_GRACE)
    )
    for message_id in due:
        enqueue(message_id)
    return len(due)


def apply_reports(reports) -> int:
    """Move sent messages to delivered or failed from the provider's delivery reports."""
    updated = 0
    now = timezone.now()
    for report in reports:
        if report.status == "delivered":
            updated += SmsMessage.objects.filter(
                provider_message_id=report.message_id,
                status__in=[SmsStatus.SENT, SmsStatus.UNKNOWN],
            ).update(status=SmsStatus.DELIVERED, delivered_at=now)
        elif report.status == "failed":
            updated += SmsMessage.objects.filter(
                provider_message_id=report.message_id,
                status__in=[SmsStatus.SENT, SmsStatus.UNKNOWN],
            ).update(
                status=SmsStatus.FAILED, last_error=f"provider status {report.provider_status}"
            )
    return updated


def pull_reports() -> int:
    """Ask the provider about messages sent in the last two days (Kavenegar keeps 48 hours)."""
    since = timezone.now() - timedelta(hours=47)
    ids = list(
        SmsMessage.objects.filter(status=SmsStatus.SENT, sent_at__gte=since)
        .exclude(provider_message_id="")
        .values_list("provider_message_id", flat=True)[:5000]
    )
    if not ids:
        return 0
    return apply_reports(get_backend().fetch_reports(ids))
