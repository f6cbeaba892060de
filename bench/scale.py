"""The back office at national scale: build 10k / 100k / 1M registrations, then time staff pages.

    .venv/bin/python bench/scale.py build --rows 1000000 [--db-url postgres://…/nehzat_s_scale]
    .venv/bin/python bench/scale.py measure [--repeat 5] [--skip-full-export] [--json out.json]
    .venv/bin/python bench/scale.py drop

`build` migrates the database, loads the demo campaign, runs `generate_registrations` for a
seed of 10,000 rows, then multiplies them in SQL (one INSERT … SELECT per 100,000 rows) up to
`--rows`: every copy gets a fresh public id, tracking code and mobile (bijections of the row
number, so the unique constraints hold; the few that meet a seed row's are skipped by
ON CONFLICT and drawn again), a sign-up time spread over 120 days, and one verification SMS
row (mostly delivered), so the SMS figures are measured at scale too. Then VACUUM ANALYZE.

`measure` times each staff request with Django's test client in this process, under
`config.settings.production` on the same PostgreSQL and a private Redis db (cache), as a
signed-in superuser: wall time of the whole request (view, queries, template), median of
`--repeat` runs, and the number of queries. No gunicorn, so no timeout cuts a slow request
off: what is shown is what a request costs, which gunicorn's 30 s would kill past that.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

from run_pages import production_env  # bench/ is the script's folder, so on sys.path


ROOT = Path(__file__).resolve().parent.parent
SEED_ROWS = 10_000
BATCH = 100_000

# Columns copied from a seed row as they are; the rest are drawn for each copy.
COPIED = [
    "campaign_id",
    "status",
    "source",
    "language",
    "kind",
    "organisation_name",
    "national_id",
    "permit_number",
    "province",
    "city",
    "fields_of_activity",
    "capacities",
    "experience",
    "years_active",
    "member_count",
    "representative_name",
    "national_code",
    "email",
    "consent",
    "extra_answers",
    "rejection_reason",
    "phone_verified_at",
    "confirmed_at",
    "reviewed_at",
    "reviewed_by_id",
    "code_hash",
    "code_expires_at",
    "code_attempts",
    "search_text",
]

# Multipliers coprime with the size of each code space, so n -> code is one-to-one.
MULTIPLY_SQL = """
INSERT INTO registrations_registration
    (public_id, tracking_code, mobile, created_at, updated_at, {copied})
SELECT gen_random_uuid(),
       (10000000 + (g::bigint * 48271) %% 90000000)::text,
       '+989' || lpad(((g::bigint * 2654435761) %% 400000000)::text, 9, '0'),
       now() - random() * interval '120 days',
       now(),
       {seed_copied}
FROM generate_series(%(start)s, %(stop)s) AS g
JOIN seed ON seed.n = g %% %(seed_rows)s
ON CONFLICT DO NOTHING
"""

SMS_SQL = """
INSERT INTO registrations_smsmessage
    (subject_type_id, subject_id, recipient, text, purpose, status, attempts, provider,
     provider_message_id, idempotency_key, last_error, created_at, updated_at, sent_at,
     delivered_at)
SELECT %(registration_type)s, r.id, r.mobile, 'کد تأیید ثبت‌نام شما در طرح نهضت مشارکت اجتماعی: 12345', 'verification',
       CASE WHEN r.id %% 50 = 0 THEN 'failed' WHEN r.id %% 10 = 0 THEN 'sent'
            WHEN r.id %% 97 = 0 THEN 'queued' ELSE 'delivered' END,
       1, 'kavenegar', r.id::text, 1000000000000 + r.id, '', r.created_at, r.created_at,
       r.created_at, r.created_at
FROM registrations_registration r
WHERE NOT EXISTS (SELECT 1 FROM registrations_smsmessage m
                  WHERE m.subject_type_id = %(registration_type)s AND m.subject_id = r.id)
"""


def setup(db_url: str, redis_url: str) -> None:
    os.environ.update(
        production_env(db_url, redis_url),
        ALLOWED_HOSTS="testserver",
        LOG_LEVEL="ERROR",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(rows: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from registrations.models import Registration

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_demo_content", verbosity=0)
    have = Registration.objects.count()
    if have < SEED_ROWS:
        call_command("generate_registrations", count=SEED_ROWS - have, seed=1, verbosity=0)
    copied = ", ".join(COPIED)
    seed_copied = ", ".join(f"seed.{column}" for column in COPIED)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE seed AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, * "
            "FROM registrations_registration ORDER BY id LIMIT %s",
            [SEED_ROWS],
        )
        cursor.execute("CREATE UNIQUE INDEX ON seed (n)")
        next_number = SEED_ROWS + 1
        while (have := Registration.objects.count()) < rows:
            stop = next_number + min(BATCH, rows - have) - 1
            cursor.execute(
                MULTIPLY_SQL.format(copied=copied, seed_copied=seed_copied),
                {"start": next_number, "stop": stop, "seed_rows": SEED_ROWS},
            )
            next_number = stop + 1
            print(f"{Registration.objects.count():>9} rows  {time.perf_counter() - started:6.1f} s")
        from django.contrib.contenttypes.models import ContentType

        registration_type = ContentType.objects.get_for_model(Registration).pk
        cursor.execute(SMS_SQL, {"registration_type": registration_type})
        print(f"SMS rows added: {cursor.rowcount}")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE registrations_registration")
        cursor.execute("VACUUM ANALYZE registrations_smsmessage")
    if _has_summaries():
        call_command("rebuild_registration_summaries", verbosity=0)
    print(f"built {Registration.objects.count()} rows in {time.perf_counter() - started:.0f} s")


def _has_summaries() -> bool:
    from django.core.management import get_commands

    return "rebuild_registration_summaries" in get_commands()


def _jalali_days_ago(days: int) -> str:
    import datetime

    from django.utils import timezone

    import jdatetime

    day = timezone.localdate() - datetime.timedelta(days=days)
    return jdatetime.date.fromgregorian(date=day).strftime("%Y/%m/%d")


def _persian(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"))


def requests_to_time():
    """(name, path, params) of every staff request the bench times."""
    from registrations.models import Registration

    total = Registration.objects.count()
    sample = Registration.objects.order_by("id")[total // 2]
    mobile = "0" + str(sample.mobile)[3:]
    listing = "/admin/registrations/"
    return [
        ("listing, first page", listing, {}),
        ("listing, deep page (middle)", listing, {"p": max(1, total // 50 // 2)}),
        ("filter: status rejected", listing, {"status": "rejected"}),
        ("filter: kind ngo", listing, {"kind": "ngo"}),
        ("filter: province qom", listing, {"province": "qom"}),
        ("filter: field of activity", listing, {"field_of_activity": "environment"}),
        ("filter: capacity", listing, {"capacity": "funding"}),
        ("filter: source sms", listing, {"source": "sms"}),
        ("filter: created in the last 7 days", listing, {"created_from": _jalali_days_ago(7)}),
        ("filter: campaign", listing, {"campaign": sample.campaign_id}),
        ("search: a name (Arabic letters)", listing, {"q": "كيان"}),
        ("search: two words", listing, {"q": "یاوران محله"}),
        ("search: mobile, Persian digits", listing, {"q": _persian(mobile)}),
        ("search: part of a mobile", listing, {"q": _persian(mobile[-6:])}),
        ("search: tracking code", listing, {"q": _persian(sample.tracking_code)}),
        ("dashboard", "/admin/registrations/dashboard/", {}),
        ("admin home, summary not cached", "/admin/", {}),
        ("inspect", f"/admin/registrations/inspect/{sample.pk}/", {}),
    ]


def time_request(client, path, params, repeat: int, before=None):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    timings = []
    queries = 0
    status = None
    for _ in range(repeat):
        if before:
            before()
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            response = client.get(path, params)
            timings.append(time.perf_counter() - start)
        status = response.status_code
        queries = len(captured)
    return {"median_s": statistics.median(timings), "max_s": max(timings), "queries": queries,
            "status": status}  # fmt: skip


def time_export(client, params) -> dict:
    """A streamed export, or (past the streaming size) the background job run to its end.

    The job runs in a child process as a Celery worker would run it (its peak RSS is that
    process's alone) while this one polls its progress, then downloads the file and
    checks its row count against the listing's.
    """
    import resource
    import subprocess

    start = time.perf_counter()
    response = client.get("/admin/registrations/", {"export": "csv", **params})
    size = lines = 0
    result = {"status": response.status_code}
    if response.status_code == 302:
        from registrations.export_jobs import ExportJob

        job_id = response.url.rstrip("/").rsplit("/", 1)[1]
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD_EXPORT, job_id], cwd=ROOT, env=os.environ.copy()
        )
        progress = []
        while child.poll() is None:
            time.sleep(2)
            job = ExportJob.objects.get(pk=job_id)
            page = client.get(response.url)
            progress.append((round(time.perf_counter() - start), job.rows_written))
        job = ExportJob.objects.get(pk=job_id)
        job_seconds = time.perf_counter() - start
        download = client.get(f"/admin/registrations/exports/{job_id}/download/")
        for chunk in download.streaming_content:
            size += len(chunk)
            lines += chunk.count(b"\n")
        result.update(
            background=True,
            state=job.state,
            rows_total=job.rows_total,
            rows_in_file=lines - 1,
            job_seconds=job_seconds,
            worker_peak_rss_mb=resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
            progress_samples=progress[:: max(1, len(progress) // 8)],
            progress_page_status=page.status_code,
        )
    elif response.streaming:
        for chunk in response.streaming_content:
            size += len(chunk)
            lines += chunk.count(b"\n")
    else:
        size = len(response.content)
    result.update(seconds=time.perf_counter() - start, bytes=size, lines=lines)
    return result


CHILD_EXPORT = """
import sys, django
sys.path.insert(0, ".")
django.setup()
from registrations.tasks import run_export
run_export(sys.argv[1])
"""


def measure(repeat: int, skip_full_export: bool) -> dict:
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.core.management import call_command
    from django.test import Client

    from registrations.models import Registration

    # Production settings serve hashed static files: the admin's templates need the manifest.
    call_command("collectstatic", interactive=False, verbosity=0)
    User = get_user_model()
    user = User.objects.filter(username="scale-bench").first() or User.objects.create_superuser(
        "scale-bench", password=None
    )
    client = Client()
    client.force_login(user)
    client.get("/admin/")  # warm up: URLconf, templates, the connection
    rows = Registration.objects.count()
    load = os.getloadavg()
    results = {"rows": rows, "load_before": load[0], "requests": {}}
    print(f"# {rows} registrations; load average {load[0]:.1f}")
    for name, path, params in requests_to_time():
        forget = None
        if path == "/admin/":
            # The panel's figures are cached for a minute; time what a cold one costs.
            def forget():
                cache.delete("backoffice:home-figures")

        result = time_request(client, path, params, repeat, before=forget)
        results["requests"][name] = result
        print(
            f"{name:38} {result['median_s']:8.3f} s  (max {result['max_s']:.3f})  "
            f"{result['queries']:3} queries  HTTP {result['status']}"
        )
    exports = {"export CSV, status awaiting (≈12 %)": {"status": "awaiting_confirmation"}}
    if not skip_full_export:
        exports["export CSV, all rows"] = {}
    for name, params in exports.items():
        result = time_export(client, params)
        results["requests"][name] = result
        print(
            f"{name:38} {result['seconds']:8.1f} s  {result['bytes'] / 1e6:.0f} MB  "
            f"{result['lines']} lines  HTTP {result['status']}"
        )
        if result.get("background"):
            print(
                f"{'':38} background job {result['state']}: {result['rows_in_file']} rows in "
                f"the file of {result['rows_total']}; worker peak RSS "
                f"{result['worker_peak_rss_mb']:.0f} MB; progress {result['progress_samples']}"
            )
    results["load_after"] = os.getloadavg()[0]
    return results


def drop(db_url: str) -> None:
    import subprocess

    name = db_url.rsplit("/", 1)[1]
    server = db_url.rsplit("/", 1)[0] + "/postgres"
    subprocess.run(["psql", server, "-c", f'DROP DATABASE IF EXISTS "{name}"'], check=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("action", choices=["build", "measure", "drop"])
    parser.add_argument("--db-url", default="postgres://postgres@127.0.0.1:5432/nehzat_s_scale")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-full-export", action="store_true")
    parser.add_argument("--json", help="write the figures here as JSON")
    args = parser.parse_args()
    if args.action == "drop":
        drop(args.db_url)
        return 0
    if args.action == "build":
        _ensure_database(args.db_url)
        setup(args.db_url, args.redis_url)
        build(args.rows)
        return 0
    setup(args.db_url, args.redis_url)
    results = measure(args.repeat, args.skip_full_export)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2, ensure_ascii=False))
    return 0


def _ensure_database(db_url: str) -> None:
    import subprocess

    name = db_url.rsplit("/", 1)[1]
    server = db_url.rsplit("/", 1)[0] + "/postgres"
    exists = subprocess.run(
        ["psql", server, "-Atc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],  # noqa: S608
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        subprocess.run(["psql", server, "-c", f'CREATE DATABASE "{name}"'], check=True)


if __name__ == "__main__":
    sys.exit(main())
