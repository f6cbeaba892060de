"""Celery tasks of accounts: each takes plain values and is safe to run twice."""

import logging

from celery import shared_task

from persian.phones import log_mask

from . import services


logger = logging.getLogger(__name__)


def request_code(*, mobile: str, language: str) -> None:
    """Ask for a sign-in code to `mobile` (E.164): the same nothing happens for every number.

    The look-up, the code and its SMS run in the task, after the response: how long the
    answer takes tells nothing about whether the number registered.
    """
    try:
        send_sign_in_code.delay(str(mobile), language)
    except Exception:  # kombu's connection errors vary; the visitor can ask again
        logger.warning("Sign-in code for %s not enqueued (broker unavailable)", log_mask(mobile))


@shared_task(acks_late=True)
def send_sign_in_code(mobile: str, language: str) -> bool:
    """Look the number up and send it a code if it may sign in (after the web response)."""
    return services.send_code(mobile=mobile, language=language) is not None
