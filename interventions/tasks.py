from celery import shared_task

from . import invitations


@shared_task(name="interventions.tasks.remind_invitations", ignore_result=True)
def remind_invitations() -> tuple[int, int]:
    """One reminder per unanswered invitation after a few days; later, mark it no answer.
    Idempotent: a reminder is claimed by a conditional UPDATE before its SMS is queued."""
    return invitations.remind_due()
