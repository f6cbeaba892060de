"""Background exports: too many rows to stream inside a request's time limit.

A staff member's export of more than STREAM_MAX_ROWS rows creates an ExportJob
(registrations/export_jobs.py) and a Celery task writes the same CSV/XLSX (exports.py) to
the private `exports` storage, recording rows written as it goes (progress bar); the file
is fetched through the owner-only, expiring download view (export_job_views.py).
"""

import logging
import tempfile
from dataclasses import replace

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone, translation

from celery import shared_task

from ..export_jobs import KEEP_FOR, ExportJob, export_storage


logger = logging.getLogger(__name__)

# About 5 s of CSV on a busy 2-core machine (12,000 rows/s measured at 1M rows): far inside
# any request limit. XLSX costs 1.5-2× that per row.
STREAM_MAX_ROWS = settings.REGISTRATION_EXPORT_STREAM_MAX_ROWS  # 50,000 by default
PROGRESS_EVERY = 5_000  # rows between progress updates (one UPDATE each)
LISTING_ORDER = "-created_at"  # the listing's default_ordering (views.py)


def start(*, user, export_format: str, query: str, rows: int, download_name: str) -> ExportJob:
    """Record the job and queue its task once the caller's transaction commits."""
    job = ExportJob.objects.create(
        user=user,
        export_format=export_format,
        query=query,
        rows_total=rows,
        download_name=download_name,
        expires_at=timezone.now() + KEEP_FOR,
    )
    transaction.on_commit(lambda: run_export.delay(str(job.pk)), robust=True)
    return job


def listing_queryset(query: str):
    """The rows the listing showed for this query string: the same filters and search."""
    from ..filters import RegistrationFilterSet
    from ..models import Registration
    from ..search_text import search_registrations

    data = QueryDict(query)
    queryset = Registration.objects.order_by(LISTING_ORDER)
    filters = RegistrationFilterSet(data=data, queryset=queryset, request=None)
    if not filters.is_valid():
        raise ValueError(f"filters no longer valid: {filters.errors.as_json()}")
    queryset = filters.qs
    if data.get("q"):
        queryset = search_registrations(queryset, data["q"])
    return queryset


def _counting(columns, job_id):
    """The columns, the first one also counting rows (each row reads it once)."""
    written = 0

    def count_then(value):
        def read(record):
            nonlocal written
            written += 1
            if written % PROGRESS_EVERY == 0:
                ExportJob.objects.filter(pk=job_id).update(rows_written=written)
            return value(record)

        return read

    first = replace(columns[0], value=count_then(columns[0].value))
    return [first, *columns[1:]], lambda: written


def run(job_id) -> None:
    """Write the job's file; safe to run twice (a finished or running job is left alone)."""
    from . import exports

    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.state != ExportJob.State.QUEUED:
            return
        job.state = ExportJob.State.RUNNING
        job.save(update_fields=["state"])
    try:
        queryset = listing_queryset(job.query)
        columns, written = _counting(exports.persian_columns(queryset), job.pk)
        if job.export_format == "xlsx":
            chunks = exports.stream_xlsx(
                queryset, columns, zip64=job.rows_total >= exports.XLSX_ZIP64_FROM_ROWS
            )
        else:
            chunks = exports.stream_csv(queryset, columns)
        # Persian labels and headings, as the streamed export has, whatever the worker's language.
        with tempfile.TemporaryFile() as spool, translation.override("fa"):
            for chunk in chunks:
                spool.write(chunk)
            spool.seek(0)
            name = export_storage().save(f"{job.pk}.{job.export_format}", File(spool))
    except Exception as error:
        logger.exception("export %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            state=ExportJob.State.FAILED, error=str(error)[:1000], finished_at=timezone.now()
        )
        return
    ExportJob.objects.filter(pk=job.pk).update(
        state=ExportJob.State.DONE,
        rows_written=written(),
        file_name=name,
        finished_at=timezone.now(),
    )
    _notify(job)


def _notify(job: ExportJob) -> None:
    """Email the owner the link (if they have an address); the admin page shows it anyway."""
    from django.core.mail import send_mail
    from django.urls import reverse
    from django.utils import translation
    from django.utils.translation import gettext

    if not job.user.email:
        return
    link = settings.PUBLIC_BASE_URL.rstrip("/") + reverse("registration:export_job", args=(job.pk,))
    with translation.override("fa"):
        send_mail(
            gettext("Your registrations export is ready"),
            gettext("The file is ready to download until it expires in 24 hours: %(link)s")
            % {"link": link},
            None,
            [job.user.email],
            fail_silently=True,
        )


# An export of 1M rows takes 1.5-3 minutes of a worker; the default 120 s limit would kill it.
# Defined here (registered through registrations/tasks.py) so nothing imports in a circle.
@shared_task(
    name="registrations.tasks.run_export", acks_late=True, time_limit=3600, soft_time_limit=3300
)
def run_export(job_id: str) -> None:
    run(job_id)
