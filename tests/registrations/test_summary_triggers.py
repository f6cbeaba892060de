"""The summary triggers exist once every migration has run.

SQLite rebuilds a table for many schema changes (dropping or altering a column), and a
rebuilt table has lost its triggers: a later migration of registrations or SMS rows must
recreate them (migration 0007's SQLITE_FORWARD), or this fails.
"""

from django.db import connection

import pytest


pytestmark = pytest.mark.django_db

REGISTRATION_TRIGGERS = {
    "registrations_summary_insert",
    "registrations_summary_update",
    "registrations_summary_delete",
}
SMS_TRIGGERS = {
    "registrations_summary_sms_insert",
    "registrations_summary_sms_update",
    "registrations_summary_sms_delete",
}


def _triggers(table: str) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [table],
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table]
            )
        return {row[0] for row in cursor.fetchall()}


def test_registration_and_sms_tables_carry_the_summary_triggers():
    assert _triggers("registrations_registration") >= REGISTRATION_TRIGGERS
    assert _triggers("registrations_smsmessage") >= SMS_TRIGGERS


def test_beat_folds_the_summaries_and_removes_expired_exports():
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "registrations.tasks.fold_summaries",
        "registrations.tasks.remove_expired_exports",
    } <= tasks
