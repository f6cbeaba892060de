"""Summary counts of registrations and SMS, kept by triggers (see registrations/summaries.py).

PostgreSQL: statement-level triggers with transition tables, so a bulk INSERT … SELECT or
UPDATE of a million rows adds one aggregated delta per key, not a million. SQLite: row
triggers (it has no statement-level ones). Both add a (dimension, value, ±n) delta per
changed count; existing rows are counted once at the end.
"""

from django.db import migrations, models


TEHRAN = "Asia/Tehran"  # settings.TIME_ZONE when this was written; the dashboard's days

PG_FORWARD = f"""
CREATE FUNCTION registrations_summary_dimensions(
    status text, province text, kind text, source text, created_at timestamptz,
    activities jsonb, capacities jsonb
) RETURNS TABLE (dimension text, value text) LANGUAGE sql STABLE AS $$
    SELECT 'status', $1
    UNION ALL SELECT 'province', $2
    UNION ALL SELECT 'kind', $3
    UNION ALL SELECT 'source', $4
    UNION ALL SELECT 'day', (($5 AT TIME ZONE '{TEHRAN}')::date)::text
    UNION ALL (SELECT DISTINCT 'activity', jsonb_array_elements_text(
        CASE WHEN jsonb_typeof($6) = 'array' THEN $6 ELSE '[]' END))
    UNION ALL (SELECT DISTINCT 'capacity', jsonb_array_elements_text(
        CASE WHEN jsonb_typeof($7) = 'array' THEN $7 ELSE '[]' END))
$$;

CREATE FUNCTION registrations_summary_registration() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO registrations_summary (dimension, value, count)
        SELECT d.dimension, d.value, COUNT(*) FROM new_rows r,
            registrations_summary_dimensions(r.status, r.province, r.kind, r.source,
                r.created_at, r.fields_of_activity, r.capacities) d
        GROUP BY 1, 2;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO registrations_summary (dimension, value, count)
        SELECT d.dimension, d.value, -COUNT(*) FROM old_rows r,
            registrations_summary_dimensions(r.status, r.province, r.kind, r.source,
                r.created_at, r.fields_of_activity, r.capacities) d
        GROUP BY 1, 2;
    ELSE
        INSERT INTO registrations_summary (dimension, value, count)
        SELECT dimension, value, SUM(n) FROM (
            SELECT d.dimension, d.value, 1 AS n FROM new_rows r,
                registrations_summary_dimensions(r.status, r.province, r.kind, r.source,
                    r.created_at, r.fields_of_activity, r.capacities) d
            UNION ALL
            SELECT d.dimension, d.value, -1 FROM old_rows r,
                registrations_summary_dimensions(r.status, r.province, r.kind, r.source,
                    r.created_at, r.fields_of_activity, r.capacities) d
        ) AS changes GROUP BY 1, 2 HAVING SUM(n) <> 0;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER registrations_summary_insert AFTER INSERT ON registrations_registration
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registrations_summary_registration();
CREATE TRIGGER registrations_summary_update AFTER UPDATE ON registrations_registration
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registrations_summary_registration();
CREATE TRIGGER registrations_summary_delete AFTER DELETE ON registrations_registration
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registrations_summary_registration();

CREATE FUNCTION registrations_summary_sms() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO registrations_summary (dimension, value, count)
        SELECT 'sms_status', status, COUNT(*) FROM new_rows GROUP BY status;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO registrations_summary (dimension, value, count)
        SELECT 'sms_status', status, -COUNT(*) FROM old_rows GROUP BY status;
    ELSE
        INSERT INTO registrations_summary (dimension, value, count)
        SELECT 'sms_status', status, SUM(n) FROM (
            SELECT status, 1 AS n FROM new_rows UNION ALL SELECT status, -1 FROM old_rows
        ) AS changes GROUP BY status HAVING SUM(n) <> 0;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER registrations_summary_sms_insert AFTER INSERT ON registrations_smsmessage
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registrations_summary_sms();
CREATE TRIGGER registrations_summary_sms_update AFTER UPDATE ON registrations_smsmessage
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registrations_summary_sms();
CREATE TRIGGER registrations_summary_sms_delete AFTER DELETE ON registrations_smsmessage
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION registrations_summary_sms();
"""

PG_BACKWARD = """
DROP TRIGGER IF EXISTS registrations_summary_sms_insert ON registrations_smsmessage;
DROP TRIGGER IF EXISTS registrations_summary_sms_update ON registrations_smsmessage;
DROP TRIGGER IF EXISTS registrations_summary_sms_delete ON registrations_smsmessage;
DROP TRIGGER IF EXISTS registrations_summary_insert ON registrations_registration;
DROP TRIGGER IF EXISTS registrations_summary_update ON registrations_registration;
DROP TRIGGER IF EXISTS registrations_summary_delete ON registrations_registration;
DROP FUNCTION IF EXISTS registrations_summary_sms();
DROP FUNCTION IF EXISTS registrations_summary_registration();
DROP FUNCTION IF EXISTS registrations_summary_dimensions(text, text, text, text, timestamptz, jsonb, jsonb);
"""


def _sqlite_dimensions(row: str) -> str:
    """(dimension, value) of NEW or OLD; Tehran is +03:30 all year since 2022."""
    return f"""
        SELECT 'status' AS dimension, {row}.status AS value
        UNION ALL SELECT 'province', {row}.province
        UNION ALL SELECT 'kind', {row}.kind
        UNION ALL SELECT 'source', {row}.source
        UNION ALL SELECT 'day', date({row}.created_at, '+210 minutes')
        UNION ALL SELECT DISTINCT 'activity', value FROM json_each(CASE WHEN
            json_type({row}.fields_of_activity) = 'array' THEN {row}.fields_of_activity ELSE '[]' END)
        UNION ALL SELECT DISTINCT 'capacity', value FROM json_each(CASE WHEN
            json_type({row}.capacities) = 'array' THEN {row}.capacities ELSE '[]' END)
    """


SUMMARY_COLUMNS = "status, province, kind, source, created_at, fields_of_activity, capacities"

SQLITE_FORWARD = [
    f"""CREATE TRIGGER registrations_summary_insert AFTER INSERT ON registrations_registration
    BEGIN
        INSERT INTO registrations_summary (dimension, value, count)
        SELECT dimension, value, 1 FROM ({_sqlite_dimensions("NEW")});
    END""",
    f"""CREATE TRIGGER registrations_summary_delete AFTER DELETE ON registrations_registration
    BEGIN
        INSERT INTO registrations_summary (dimension, value, count)
        SELECT dimension, value, -1 FROM ({_sqlite_dimensions("OLD")});
    END""",
    f"""CREATE TRIGGER registrations_summary_update
    AFTER UPDATE OF {SUMMARY_COLUMNS} ON registrations_registration
    BEGIN
        INSERT INTO registrations_summary (dimension, value, count)
        SELECT dimension, value, SUM(n) FROM (
            SELECT dimension, value, 1 AS n FROM ({_sqlite_dimensions("NEW")})
            UNION ALL SELECT dimension, value, -1 FROM ({_sqlite_dimensions("OLD")})
        ) GROUP BY dimension, value HAVING SUM(n) <> 0;
    END""",
    """CREATE TRIGGER registrations_summary_sms_insert AFTER INSERT ON registrations_smsmessage
    BEGIN
        INSERT INTO registrations_summary (dimension, value, count)
        VALUES ('sms_status', NEW.status, 1);
    END""",
    """CREATE TRIGGER registrations_summary_sms_delete AFTER DELETE ON registrations_smsmessage
    BEGIN
        INSERT INTO registrations_summary (dimension, value, count)
        VALUES ('sms_status', OLD.status, -1);
    END""",
    """CREATE TRIGGER registrations_summary_sms_update
    AFTER UPDATE OF status ON registrations_smsmessage WHEN OLD.status <> NEW.status
    BEGIN
        INSERT INTO registrations_summary (dimension, value, count)
        VALUES ('sms_status', OLD.status, -1), ('sms_status', NEW.status, 1);
    END""",
]

SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {name}"
    for name in (
        "registrations_summary_insert",
        "registrations_summary_delete",
        "registrations_summary_update",
        "registrations_summary_sms_insert",
        "registrations_summary_sms_delete",
        "registrations_summary_sms_update",
    )
]


def create_triggers(apps, schema_editor):
    from registrations import summaries

    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_FORWARD)
    elif schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)
    else:
        raise NotImplementedError("summary triggers exist for PostgreSQL and SQLite only")
    summaries.rebuild()


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_BACKWARD)
    else:
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0006_sms_moves_to_its_own_app"),
        # After the SMS table's last change: SQLite rebuilds a table to drop a column, and
        # the rebuilt table would have lost the triggers.
        ("sms", "0004_drop_registration"),
    ]

    operations = [
        migrations.CreateModel(
            name="RegistrationSummary",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("dimension", models.CharField(max_length=16)),
                ("value", models.TextField(blank=True)),
                ("count", models.BigIntegerField()),
            ],
            options={
                "verbose_name": "registration summary",
                "db_table": "registrations_summary",
            },
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
