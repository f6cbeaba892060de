"""The record of a background export (its job runs in registrations/backoffice/background_exports.py).

Exports too large to stream inside a request's time limit run as background jobs.

A staff member's export of more than STREAM_MAX_ROWS rows creates an ExportJob and a
Celery task writes the same CSV/XLSX (registrations/exports.py) to the private `exports`
storage, recording rows written as it goes; the admin shows a progress bar and, when the
file is ready, a download link that only its owner (or a superuser) may fetch, until it
expires. Beat removes expired files. Smaller exports keep streaming, as before.

Why not stream everything: gunicorn's timeout kills a request part-way, after the 200
status and part of the body have gone, so staff would get a silently short file.
"""

import datetime
import uuid

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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


def remove_expired() -> int:
    """Delete expired jobs and their files (beat, hourly)."""
    removed = 0
    for job in ExportJob.objects.filter(expires_at__lte=timezone.now()):
        if job.file_name:
            export_storage().delete(job.file_name)
        job.delete()
        removed += 1
    return removed
