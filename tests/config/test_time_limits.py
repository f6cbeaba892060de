# ruff: noqa: F403 - the back-office fixtures come from tests.backoffice
"""Time limits that match: a statement cancelled by PostgreSQL answers a Persian 503."""

import os
import subprocess
import sys
from pathlib import Path

from django.db import OperationalError, connection, transaction

import pytest

from registrations import summaries
from tests.backoffice import *


pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = "/admin/registrations/dashboard/"


class QueryCanceled(Exception):
    """Stands for psycopg.errors.QueryCanceled where PostgreSQL is not used."""

    class diag:
        sqlstate = "57014"


@pytest.fixture
def staff(client, manager):
    client.raise_request_exception = False
    client.force_login(manager)
    return client


def test_a_cancelled_statement_tells_staff_in_persian(staff, monkeypatch, demo):
    def slow():
        raise OperationalError("canceling statement due to statement timeout") from QueryCanceled()

    monkeypatch.setattr(summaries, "totals", slow)

    response = staff.get(DASHBOARD)

    html = response.content.decode()
    assert response.status_code == 503
    assert "بیش از اندازه طول کشید" in html and "Traceback" not in html
    assert "statement timeout" not in html


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL's statement_timeout")
def test_a_real_statement_timeout_is_answered_not_killed(staff, monkeypatch, demo):
    def slow():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = 50")
            cursor.execute("SELECT pg_sleep(2)")

    monkeypatch.setattr(summaries, "totals", slow)

    response = staff.get(DASHBOARD)

    assert response.status_code == 503
    assert "بیش از اندازه طول کشید" in response.content.decode()


def _python(code: str, **env) -> str:
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_gunicorn_gives_web_workers_a_statement_timeout_under_its_own():
    code = (
        "import os, config.gunicorn as g; print(g.timeout, os.environ['DB_STATEMENT_TIMEOUT_MS'])"
    )
    env = {k: v for k, v in os.environ.items() if k != "DB_STATEMENT_TIMEOUT_MS"}
    result = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["30", "20000"]


def test_the_settings_pass_the_timeout_to_postgresql_only_when_set():
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'config.settings.dev'; "
        "django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default'].get('OPTIONS', {}).get('options'))"
    )
    url = "postgres://nobody@127.0.0.1:1/none"
    assert _python(code, DATABASE_URL=url, DB_STATEMENT_TIMEOUT_MS="20000") == (
        "-c statement_timeout=20000"
    )
    assert _python(code, DATABASE_URL=url, DB_STATEMENT_TIMEOUT_MS="0") == "None"
