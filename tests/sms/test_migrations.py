"""The SMS tables moved from registrations to the sms app without losing a row."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest


ROOT = Path(__file__).resolve().parents[2]


def run_check(database_url: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    return subprocess.run(  # noqa: S603 - our own script, no shell
        [sys.executable, str(ROOT / "tests" / "sms" / "migration_check.py")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_a_database_from_before_the_move_migrates_forward_with_every_row(tmp_path, demo_database):
    database = tmp_path / "before.sqlite3"
    if demo_database is not None:
        # Start from the session's migrated database: the check steps back from today's
        # layout itself, and migrating an empty database again cost 16 s of CPU.
        demo_database.copy_to(database)
    result = run_check(f"sqlite:///{database}")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("OK")


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="PostgreSQL check runs where DATABASE_URL names a PostgreSQL server (.ci/run)",
)
def test_the_same_on_postgresql():
    import psycopg

    base = os.environ["DATABASE_URL"]
    server, _, _name = base.rpartition("/")
    name = f"migcheck_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        result = run_check(f"{server}/{name}")
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.strip().endswith("OK")
