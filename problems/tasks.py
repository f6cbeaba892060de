"""Celery tasks of problems: each takes ids (or nothing) and is safe to run twice."""

from celery import shared_task

from .services import retention


@shared_task(acks_late=True)
def purge_mobile_checks() -> int:
    """Delete code checks past their retention period (beat, hourly)."""
    return retention.purge_mobile_checks()
