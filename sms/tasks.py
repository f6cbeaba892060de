"""Celery tasks: each takes ids, does nothing twice, and leaves the work to outbox/inbound.

The names are the ones these tasks had in `registrations.tasks`: messages queued by the old
code during a rolling deploy, the beat schedule and the `sms` queue route still find them.
"""

from celery import shared_task

from . import inbound, outbox


@shared_task(
    name="registrations.tasks.send_sms",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=None,
)
def send_sms(self, message_id: int) -> None:
    retry_in = outbox.deliver(message_id)
    if retry_in is not None and not self.request.is_eager:
        raise self.retry(countdown=retry_in)


@shared_task(name="registrations.tasks.sweep_outbox", acks_late=True)
def sweep_outbox() -> int:
    return outbox.sweep()


@shared_task(name="registrations.tasks.pull_delivery_reports", acks_late=True)
def pull_delivery_reports() -> int:
    return outbox.pull_reports()


@shared_task(name="registrations.tasks.pull_inbound_sms", acks_late=True)
def pull_inbound_sms() -> int:
    return inbound.pull_inbound()
