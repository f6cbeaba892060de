"""A large export over HTTP: gunicorn queues it, a real Celery worker writes it, staff download it.

gunicorn and the worker share the exports folder (EXPORTS_ROOT), as they must in production;
the streaming limit is lowered to 100 rows so a few hundred registrations make a job.
"""

import csv
import io
import re
import subprocess

import pytest
import requests

from . import stack


pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db,
    pytest.mark.usefixtures("clean_state"),
]

ROWS = 250
PASSWORD = "live-test-only-password-0"
# Made with the live settings' password hashers (the test database's users have the tests').
MAKE_STAFF = f"""
from django.contrib.auth.models import Group, User
for name, group in (("export-manager", "Registration managers"), ("export-editor", "Editors")):
    user, _ = User.objects.get_or_create(username=name)
    user.set_password("{PASSWORD}")
    user.save()
    user.groups.set([Group.objects.get(name=group)])
"""


def signed_in(base_url: str, username: str, password: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base_url}/admin/login/", timeout=10)
    response = session.post(
        f"{base_url}/admin/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
            "next": "/admin/",
        },
        headers={"Referer": f"{base_url}/admin/login/"},
        timeout=10,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:1000]
    return session


def test_a_large_export_is_written_by_the_worker_and_downloads_whole(live_env, live_dir, live_db):
    env = {
        **live_env,
        "REGISTRATION_EXPORT_STREAM_MAX_ROWS": "100",
        "EXPORTS_ROOT": str(live_dir / "exports"),
    }
    subprocess.run(  # noqa: S603 - the project's own command
        [
            str(stack.BIN / "python"),
            "manage.py",
            "generate_registrations",
            "--count",
            str(ROWS),
            "--seed",
            "5",
        ],
        cwd=stack.ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    subprocess.run(  # noqa: S603 - the project's own command
        [str(stack.BIN / "python"), "manage.py", "shell", "-c", MAKE_STAFF],
        cwd=stack.ROOT,
        env=env,
        check=True,
        capture_output=True,
    )
    web, base_url = stack.gunicorn(live_dir, env, name="gunicorn-export")
    worker = stack.celery_worker(
        live_dir, env, name="export-worker", queues="default", concurrency=2
    )
    try:
        staff = signed_in(base_url, "export-manager", PASSWORD)

        started = staff.get(
            f"{base_url}/admin/registrations/?export=csv", allow_redirects=False, timeout=10
        )
        assert started.status_code == 302, started.text[:1000]
        job_path = started.headers["Location"]
        assert re.fullmatch(r"/admin/registrations/exports/[0-9a-f-]{36}/", job_path)

        def ready():
            page = staff.get(base_url + job_path, timeout=10)
            assert page.status_code == 200
            return "data-export-download" in page.text

        stack.wait_until(ready, timeout=60, what="the export job's download link")
        download = staff.get(f"{base_url}{job_path}download/", timeout=30)
        assert download.status_code == 200
        rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
        assert len(rows) - 1 == live_db.registrations() == ROWS
        assert rows[0][0] == "کد پیگیری"

        # Someone else's session, or none, gets nothing of it.
        stranger = requests.Session()
        refused = stranger.get(f"{base_url}{job_path}download/", timeout=10, allow_redirects=False)
        assert refused.status_code in (302, 403) and "کد پیگیری" not in refused.text
        editor = signed_in(base_url, "export-editor", PASSWORD)
        assert editor.get(f"{base_url}{job_path}download/", timeout=10).status_code in (403, 404)
    finally:
        worker.stop()
        web.stop()
