import os

from celery import Celery
from celery.signals import setup_logging, task_postrun, task_prerun


os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("nehzat")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def configure_logging(*args, **kwargs):
    """Use Django's LOGGING for the worker too, instead of Celery's own handlers."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


@task_prerun.connect
@task_postrun.connect
def close_old_database_connections(sender=None, **kwargs):
    """Between tasks, what Django does between requests: close a connection past
    CONN_MAX_AGE, left in a transaction or failing, and health-check the next one's first use
    (with CONN_MAX_AGE=0, the default, every connection is closed as Celery would).

    Never for an eager task: it runs inside the caller's request or transaction.
    """
    if sender is None or getattr(sender.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
