"""Exports too large to stream inside a request's time limit run as background jobs.

A staff member's export of more than STREAM_MAX_ROWS rows creates an ExportJob and a
Celery task writes the same CSV/XLSX (registrations/exports.py) to the private `exports`
storage, recording rows written as it goes; the admin shows a progress bar and, when the
file is ready, a download link that only its owner (or a superuser) may fetch, until it
expires. Beat removes expired files. Smaller exports keep streaming, as before.

Why not stream everything: gunicorn's timeout kills a request part-way, after the 200
status and part of the body have gone, so staff would get a silently short file.
"""

import datetime
import logging
import tempfile
import uuid
from dataclasses import replace

from django.conf import settings
from django.core.files import File
from django.core.files.storage import storages
from django.db import models, transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


logger = logging.getLogger(__name__)

# About 5 s of CSV on a busy 2-core machine (12,000 rows/s measured at 1M rows): far inside
# any request limit. XLSX costs 1.5-2× that per row.
STREAM_MAX_ROWS = 50_000
PROGRESS_EVERY = 5_000  # rows between progress updates (one UPDATE each)
KEEP_FOR = datetime.timedelta(hours=24)


def export_storage():
    return storages["exports"]


class ExportJob(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Writing")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    # A random id in the URL: nobody learns how many exports others made.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    export_format = models.CharField(max_length=8)
    # The listing's query string (filters and search), re-applied by the task.
    query = models.TextField(blank=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.QUEUED)
    rows_total = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    file_name = models.CharField(max_length=200, blank=True)
    download_name = models.CharField(max_length=100)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField()

    class Meta:
        app_label = "registrations"
        verbose_name = _("registrations export")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.download_name}.{self.export_format} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        if self.state == self.State.DONE:
            return 100
        return int(100 * self.rows_written / self.rows_total) if self.rows_total else 0

    @property
    def expired(self) -> bool:
        return timezone.now() >= self.expires_at

    def may_download(self, user) -> bool:
        return user.is_superuser or user.pk == self.user_id


def start(*, user, export_format: str, query: str, rows: int, download_name: str) -> ExportJob:
    """Record the job and queue its task once the caller's transaction commits."""
    from .tasks import run_export

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
    from .admin_views import RegistrationIndexView
    from .filters import RegistrationFilterSet
    from .models import Registration
    from .search_text import search_registrations

    data = QueryDict(query)
    queryset = Registration.objects.order_by(RegistrationIndexView.default_ordering)
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
        with tempfile.TemporaryFile() as spool:
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


def remove_expired() -> int:
    """Delete expired jobs and their files (beat, hourly)."""
    removed = 0
    for job in ExportJob.objects.filter(expires_at__lte=timezone.now()):
        if job.file_name:
            export_storage().delete(job.file_name)
        job.delete()
        removed += 1
    return removed
