"""Counts of registrations and SMS by status, province, kind, source, field of activity,
capacity and sign-up day, kept current by database triggers in the writing transaction.

Why triggers rather than service calls: registrations are written by the form, the API,
the SMS line, the admin, retention and bulk `update()`/`bulk_create` calls that skip
signals; a trigger sees every one of them, in the same transaction (migration 0006 holds
the trigger SQL for PostgreSQL and SQLite).

The table is append-only: each write adds delta rows (+1/−1 per dimension and value), so
concurrent registrations never wait on one hot counter row (and cannot deadlock on two).
Reading sums the rows per key; `fold()` (beat, every minute) folds them back into one row
per key so the sum stays small. `rebuild()` recounts from the tables themselves, for the
`rebuild_registration_summaries` command and the tests that prove both agree.
"""

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import Sum


DIMENSIONS = ("status", "province", "kind", "source", "day", "activity", "capacity", "sms_status")


class RegistrationSummary(models.Model):
    """One delta of one count: `dimension` = `value` changed by `count` (see module doc)."""

    dimension = models.CharField(max_length=16)
    value = models.TextField(blank=True)
    count = models.BigIntegerField()

    class Meta:
        app_label = "registrations"
        db_table = "registrations_summary"
        verbose_name = "registration summary"

    def __str__(self):
        return f"{self.dimension}={self.value}: {self.count:+d}"


def totals() -> dict[str, dict[str, int]]:
    """dimension → value → count, in one query over the (folded) summary rows."""
    result: dict[str, dict[str, int]] = {dimension: {} for dimension in DIMENSIONS}
    rows = (
        RegistrationSummary.objects.order_by()
        .values_list("dimension", "value")
        .annotate(n=Sum("count"))
        .values_list("dimension", "value", "n")
    )
    for dimension, value, n in rows:
        if n:
            result.setdefault(dimension, {})[value] = n
    return result


# --- recount from the tables ----------------------------------------------------------


def _json_elements_sql(column: str) -> tuple[str, str, str]:
    """(FROM item, element, count) for a row's list elements; a row counts once per code."""
    if connection.vendor == "postgresql":
        return (
            f"LATERAL (SELECT DISTINCT jsonb_array_elements_text(CASE WHEN "
            f"jsonb_typeof(r.{column}) = 'array' THEN r.{column} ELSE '[]' END) AS element) e",
            "e.element",
            "COUNT(*)",
        )
    # SQLite has no LATERAL; json_each joined to the row plays that part.
    return (
        f"json_each(CASE WHEN json_type(r.{column}) = 'array' THEN r.{column} ELSE '[]' END) e",
        "e.value",
        "COUNT(DISTINCT r.id)",
    )


def _day_sql() -> str:
    if connection.vendor == "postgresql":
        return "((r.created_at AT TIME ZONE %s)::date)::text"
    # SQLite keeps UTC text; Tehran has had a fixed +03:30 since Iran dropped DST in 2022.
    return "date(r.created_at, '+210 minutes')"


def recount_sql() -> tuple[str, list]:
    """(SQL, params) selecting (dimension, value, count) counted from the tables."""
    table = "registrations_registration"
    parts = [
        f"SELECT '{column}', r.{column}, COUNT(*) FROM {table} r GROUP BY r.{column}"  # noqa: S608 - fixed names
        for column in ("status", "province", "kind", "source")
    ]
    params = []
    day = _day_sql()
    if "%s" in day:
        params.append(settings.TIME_ZONE)
    parts.append(f"SELECT 'day', {day}, COUNT(*) FROM {table} r GROUP BY 2")  # noqa: S608
    for dimension, column in (("activity", "fields_of_activity"), ("capacity", "capacities")):
        source, element, count = _json_elements_sql(column)
        parts.append(
            f"SELECT '{dimension}', {element}, {count} FROM {table} r, {source} GROUP BY 2"  # noqa: S608
        )
    parts.append(
        "SELECT 'sms_status', status, COUNT(*) FROM registrations_smsmessage GROUP BY status"
    )
    return " UNION ALL ".join(parts), params


def recounted() -> dict[str, dict[str, int]]:
    """What `totals()` should say, counted over every row (slow at scale: tests, rebuild)."""
    sql, params = recount_sql()
    result: dict[str, dict[str, int]] = {dimension: {} for dimension in DIMENSIONS}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for dimension, value, n in cursor.fetchall():
            if n:
                result.setdefault(dimension, {})[value] = n
    return result


def rebuild() -> int:
    """Replace the summary rows by a recount; writers wait meanwhile (a few seconds at 1M)."""
    sql, params = recount_sql()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # SHARE: readers go on, writers wait, so no write falls between recount and swap.
            with connection.cursor() as cursor:
                cursor.execute(
                    "LOCK TABLE registrations_registration, registrations_smsmessage IN SHARE MODE"
                )
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM registrations_summary")
            cursor.execute(
                "INSERT INTO registrations_summary (dimension, value, count) "  # noqa: S608
                f"SELECT * FROM ({sql}) AS recount",
                params,
            )
            return cursor.rowcount


def fold() -> int:
    """Fold the delta rows into one row per (dimension, value); returns the rows removed."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One statement, one snapshot: exactly the rows deleted are summed, so a delta
            # committed meanwhile is neither lost nor counted twice.
            cursor.execute(
                "WITH moved AS (DELETE FROM registrations_summary "
                "RETURNING dimension, value, count), "
                "folded AS (INSERT INTO registrations_summary (dimension, value, count) "
                "SELECT dimension, value, SUM(count) FROM moved GROUP BY dimension, value "
                "HAVING SUM(count) <> 0 RETURNING 1) "
                "SELECT (SELECT COUNT(*) FROM moved) - (SELECT COUNT(*) FROM folded)"
            )
            return cursor.fetchone()[0]
        # SQLite writes one transaction at a time: the two statements see the same rows.
        cursor.execute("SELECT MAX(id) FROM registrations_summary")
        last = cursor.fetchone()[0]
        if last is None:
            return 0
        cursor.execute("SELECT COUNT(*) FROM registrations_summary")
        before = cursor.fetchone()[0]
        cursor.execute(
            "INSERT INTO registrations_summary (dimension, value, count) "
            "SELECT dimension, value, SUM(count) FROM registrations_summary WHERE id <= %s "
            "GROUP BY dimension, value HAVING SUM(count) <> 0",
            [last],
        )
        cursor.execute("DELETE FROM registrations_summary WHERE id <= %s", [last])
        cursor.execute("SELECT COUNT(*) FROM registrations_summary")
        return before - cursor.fetchone()[0]
