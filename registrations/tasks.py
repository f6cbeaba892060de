"""Celery tasks: each takes ids, does nothing twice, and leaves the work to outbox/inbound."""

from celery import shared_task

from . import inbound, outbox


@shared_task(bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=None)
def send_sms(self, message_id: int) -> None:
    retry_in = outbox.deliver(message_id)
    if retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=retry_in)


@shared_task(acks_late=True)
def sweep_outbox() -> int:
    return outbox.sweep()


@shared_task(acks_late=True)
def pull_delivery_reports() -> int:
    return outbox.pull_reports()


@shared_task(acks_late=True)
def pull_inbound_sms() -> int:
    return inbound.pull_inbound()


@shared_task(acks_late=True)
def fold_summaries() -> int:
    """Fold the dashboard's delta rows (beat, every minute); safe to run twice or at once."""
    from . import summaries

    return summaries.fold()


# An export of 1M rows takes 1.5-3 minutes of a worker; the default 120 s limit would kill it.
@shared_task(acks_late=True, time_limit=3600, soft_time_limit=3300)
def run_export(job_id: str) -> None:
    from . import export_jobs

    export_jobs.run(job_id)


@shared_task(acks_late=True)
def remove_expired_exports() -> int:
    from . import export_jobs

    return export_jobs.remove_expired()
