# ruff: noqa: F403, F405 - the back-office fixtures come from tests.backoffice
"""Exports past the streaming size run in the background: progress, owner-only download."""

import csv
import datetime
import io

from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone

from wagtail.models import ModelLogEntry

import openpyxl
import pytest

from registrations import export_jobs
from registrations.backoffice import background_exports, review
from registrations.backoffice.export_job_views import EXPORT_DOWNLOAD
from registrations.export_jobs import ExportJob
from registrations.models import Registration
from tests.backoffice import *


pytestmark = pytest.mark.django_db

INDEX = "/admin/registrations/"


@pytest.fixture(autouse=True)
def small_stream_limit(monkeypatch, settings, tmp_path):
    monkeypatch.setattr(background_exports, "STREAM_MAX_ROWS", 3)
    settings.STORAGES = {
        **settings.STORAGES,
        "exports": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "exports")},
        },
    }


def start_export(client, capture, **params):
    with capture(execute=True):
        response = client.get(INDEX, {"export": "csv", **params})
    return response


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_small_export_still_streams(manager_client, demo):
    for _ in range(3):
        make_registration(demo)

    response = manager_client.get(INDEX, {"export": "csv"})

    assert response.streaming and response.status_code == 200
    assert not ExportJob.objects.exists()


def test_large_export_runs_in_the_background_and_its_file_has_every_row(
    manager, manager_client, demo, django_capture_on_commit_callbacks
):
    manager.email = "manager@example.org"
    manager.save()
    for _ in range(7):
        make_registration(demo)

    response = start_export(manager_client, django_capture_on_commit_callbacks)

    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/exports/{job.pk}/")
    page = manager_client.get(response.url).content.decode()
    assert "آماده" in page or "۷ ثبت‌نام" in page
    assert "data-export-download" in page
    download = manager_client.get(f"/admin/registrations/exports/{job.pk}/download/")
    assert download.status_code == 200
    assert 'filename="registrations-' in download["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(body(download).decode("utf-8-sig"))))
    assert len(rows) - 1 == Registration.objects.count() == 7  # headings + every row
    job.refresh_from_db()
    assert (job.state, job.rows_written, job.rows_total) == ("done", 7, 7)
    # audit: the export when started, the download when fetched
    assert ModelLogEntry.objects.get(action=review.EXPORT).data["rows"] == 7
    assert ModelLogEntry.objects.get(action=EXPORT_DOWNLOAD).user == manager
    assert len(mail.outbox) == 1 and str(job.pk) in mail.outbox[0].body


def test_background_export_keeps_the_filters_and_search(
    manager_client, demo, django_capture_on_commit_callbacks
):
    for _ in range(5):
        make_registration(demo, province="fars")
    make_registration(demo, province="qom")
    make_registration(demo, province="fars", organisation_name="کانون دیگر")

    start_export(manager_client, django_capture_on_commit_callbacks, province="fars", q="یاوران")

    job = ExportJob.objects.get()
    assert job.rows_total == 5
    download = manager_client.get(f"/admin/registrations/exports/{job.pk}/download/")
    rows = list(csv.reader(io.StringIO(body(download).decode("utf-8-sig"))))
    assert len(rows) - 1 == 5


def test_background_xlsx_reads_back_with_every_row(
    manager_client, demo, django_capture_on_commit_callbacks
):
    for _ in range(4):
        make_registration(demo)

    start_export(manager_client, django_capture_on_commit_callbacks, export="xlsx")

    job = ExportJob.objects.get()
    download = manager_client.get(f"/admin/registrations/exports/{job.pk}/download/")
    sheet = openpyxl.load_workbook(io.BytesIO(body(download))).worksheets[0]
    assert sheet.max_row - 1 == 4


def test_progress_bar_while_the_job_waits(manager, manager_client, demo):
    job = ExportJob.objects.create(
        user=manager,
        export_format="csv",
        rows_total=1000,
        rows_written=250,
        state="running",
        download_name="x",
        expires_at=timezone.now() + datetime.timedelta(hours=1),
    )

    page = manager_client.get(f"/admin/registrations/exports/{job.pk}/").content.decode()

    assert '<progress max="1000" value="250"' in page
    assert "۲۵۰ از ۱٬۰۰۰" in page
    assert 'http-equiv="refresh"' in page
    assert manager_client.get(f"/admin/registrations/exports/{job.pk}/download/").status_code == 404


def test_only_the_owner_or_a_superuser_sees_or_fetches_it(
    manager, manager_client, client, demo, django_capture_on_commit_callbacks
):
    for _ in range(4):
        make_registration(demo)
    start_export(manager_client, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    other = User.objects.create_user("other-manager", password="pw-for-tests")
    other.groups.set(manager.groups.all())
    client.force_login(other)

    assert client.get(f"/admin/registrations/exports/{job.pk}/").status_code == 404
    assert client.get(f"/admin/registrations/exports/{job.pk}/download/").status_code == 404

    client.force_login(User.objects.create_superuser("root-user", password="pw-for-tests"))
    assert client.get(f"/admin/registrations/exports/{job.pk}/download/").status_code == 200


def test_expired_link_says_so_and_beat_removes_the_file(
    manager_client, demo, django_capture_on_commit_callbacks
):
    for _ in range(4):
        make_registration(demo)
    start_export(manager_client, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    storage = export_jobs.export_storage()
    assert storage.exists(job.file_name)
    ExportJob.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    response = manager_client.get(f"/admin/registrations/exports/{job.pk}/download/")
    assert response.status_code == 410
    assert "دوباره" in response.content.decode()

    assert export_jobs.remove_expired() == 1
    assert not storage.exists(job.file_name) and not ExportJob.objects.exists()


def test_running_a_job_twice_writes_it_once(
    manager_client, demo, django_capture_on_commit_callbacks
):
    for _ in range(4):
        make_registration(demo)
    start_export(manager_client, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    finished = job.finished_at

    background_exports.run(job.pk)

    job.refresh_from_db()
    assert job.finished_at == finished and job.rows_written == 4


def test_background_file_is_byte_for_byte_the_streamed_one(
    manager_client, demo, django_capture_on_commit_callbacks, monkeypatch
):
    from django.utils import translation

    for status in ("confirmed", "approved", "rejected", "draft"):
        make_registration(demo, status=status, fields_of_activity=["health", "education"])
    monkeypatch.setattr(background_exports, "STREAM_MAX_ROWS", 100)
    streamed = body(manager_client.get(INDEX, {"export": "csv"}))
    monkeypatch.setattr(background_exports, "STREAM_MAX_ROWS", 3)

    with translation.override("en"):  # a worker's language is not the request's
        start_export(manager_client, django_capture_on_commit_callbacks)
    job = ExportJob.objects.get()
    fetched = body(manager_client.get(f"/admin/registrations/exports/{job.pk}/download/"))

    assert fetched == streamed
