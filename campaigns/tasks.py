"""Celery tasks of the campaigns app: take ids, safe to run twice."""

import logging

from django.db import transaction

from celery import shared_task


logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def generate_renditions(page_id: int) -> int:
    """Make the image renditions a published campaign page shows (a no-op when they exist)."""
    from . import renditions
    from .models import CampaignPage

    page = CampaignPage.objects.filter(pk=page_id).first()
    if page is None:
        return 0
    return renditions.generate(page.body)


def _enqueue(page_id: int) -> None:
    try:
        generate_renditions.apply_async((page_id,))
    except Exception:  # broker down: make them here rather than in a visitor's request
        logger.warning("renditions task not enqueued for page %s; generating inline", page_id)
        generate_renditions(page_id)


def on_page_published(sender, instance, **kwargs) -> None:
    transaction.on_commit(lambda: _enqueue(instance.pk), robust=True)
