"""Celery tasks of registrations: each takes ids (or nothing) and is safe to run twice.

(The SMS tasks live in sms/tasks.py.)
"""

from celery import shared_task

from . import export_jobs, summaries
from .backoffice.background_exports import run_export  # noqa: F401 - registered by Celery's autodiscovery


@shared_task(acks_late=True)
def fold_summaries() -> int:
    """Fold the dashboard's delta rows (beat, every minute); safe to run twice or at once."""
    return summaries.fold()


@shared_task(acks_late=True)
def remove_expired_exports() -> int:
    """Delete expired background exports and their files (beat, hourly)."""
    return export_jobs.remove_expired()
