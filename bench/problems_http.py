"""The problems register over HTTP at national scale: 1,000,000 registrations, 200,000 reports.

    .venv/bin/python bench/scale.py build --rows 1000000 --db-url postgres://…/nehzat_pr17_bench
    .venv/bin/python bench/problems_http.py seed --db-url postgres://…/nehzat_pr17_bench
    .venv/bin/python bench/problems_http.py measure --db-url postgres://…/nehzat_pr17_bench

`seed` replaces the database's problem reports by 200,000 made in SQL: 31 provinces, 400
cities of which Tehran holds 30 % of the reports (the worst case for the duplicate lookup:
~3,000 reports of one problem in one city), 25-word Persian descriptions drawn from a
vocabulary (so trigram similarity is as selective as on real text), half verified, a fifth
new, the rest in an intervention, resolved or rejected; every fifth a group report naming a
registration (the public page joins the 1M-row table), one or two history rows each.

`measure` starts gunicorn (`config.settings.production`, 2 workers × 4 threads, a private
Redis db as cache) and sends `--requests` sequential requests per case over one keep-alive
connection. Server time is gunicorn's own request time (`%(D)s` in its access log, µs),
median and 95th percentile; the ratio is to the campaign page served from the page cache in
the same run. Every request of a case differs (page number, report number, city), so the
uncached cases never hit a cache.
"""

import argparse
import http.client
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from run_pages import production_env  # bench/ is the script's folder, so on sys.path


ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
REPORTS = 200_000

WORDS = [
    "اعتیاد",
    "جوانان",
    "محله",
    "پارک",
    "شب",
    "خانواده",
    "نگران",
    "مواد",
    "مخدر",
    "بیکاری",
    "کارگر",
    "کارخانه",
    "تعطیل",
    "فقر",
    "اجاره",
    "خانه",
    "حاشیه",
    "شهر",
    "آب",
    "آشامیدنی",
    "قطعی",
    "برق",
    "مدرسه",
    "کودکان",
    "کار",
    "خیابان",
    "دستفروشی",
    "طلاق",
    "سالمند",
    "تنها",
    "بیمار",
    "روانی",
    "سرپرست",
    "معلول",
    "پله",
    "دسترسی",
    "آلودگی",
    "هوا",
    "زباله",
    "فاضلاب",
    "ناامنی",
    "سرقت",
    "روشنایی",
    "کوچه",
    "بهداشت",
    "درمانگاه",
    "دارو",
    "گرانی",
    "تورم",
    "مهاجرت",
    "روستا",
    "کشاورزی",
    "خشکسالی",
    "چاه",
    "زنان",
    "سرپرست",
    "خانوار",
    "ترک",
    "تحصیل",
    "سواد",
    "آموزش",
    "ورزش",
    "فضای",
    "سبز",
    "اتوبوس",
    "جاده",
]

SYLLABLES = [
    "با",
    "ر",
    "کا",
    "من",
    "سا",
    "تو",
    "دا",
    "نی",
    "گل",
    "مه",
    "پر",
    "شا",
    "زی",
    "فر",
    "ده",
    "خو",
    "را",
    "لا",
    "نو",
    "بی",
    "سر",
    "هو",
    "جا",
    "تا",
    "مو",
    "کی",
    "ور",
    "نا",
    "دو",
    "ژه",
]
assert len(SYLLABLES) == 30

SEED_SQL = """
TRUNCATE problems_support, problems_reportphoto, problems_statuschange, problems_report
    RESTART IDENTITY CASCADE;
-- The real words first, then 3,000 made of two or three syllables; drawn with a skew
-- (random()^2) so a few words are common and most rare, as in real text.
CREATE TEMP TABLE words (id int PRIMARY KEY, word text);
INSERT INTO words SELECT row_number() OVER (), word FROM (
  SELECT unnest(array[{words}]::text[]) AS word
  UNION ALL
  SELECT s[1 + n %% 30] || s[1 + (n / 30) %% 30] || CASE WHEN n %% 3 = 0 THEN s[1 + (n / 900) %% 30] ELSE '' END
  FROM generate_series(1, 3000) AS n, (SELECT array[{syllables}]::text[] AS s) AS syl
) AS vocabulary;
CREATE TEMP TABLE problem_ids AS SELECT array_agg(id ORDER BY id) AS ids FROM problems_problem;
CREATE TEMP TABLE provinces AS SELECT array[{provinces}]::text[] AS p;
INSERT INTO problems_report (number, public_id, problem_id, title, description, province, city,
  neighbourhood, people_affected, since, tried, may_contact, status, source, language,
  reporter_mobile, show_group_name, rejection_reason, search_text, support_count,
  group_support_count, city_support_count, priority, created_at, updated_at, verified_at)
SELECT number, gen_random_uuid(), problem_id, title, description, province, city, '',
  '11-100', 'months', '', false, status, 'web', 'fa',
  '+98912' || lpad((g * 7919 %% 9999991)::text, 7, '0'), false, '', title || ' ' || description,
  g %% 40, g %% 4, g %% 6, g %% 40 + 3 * (g %% 4) + 2 * (g %% 6),
  now() - (g || ' minutes')::interval, now(),
  CASE WHEN status IN ('verified', 'in_intervention', 'resolved')
       THEN now() - (g || ' minutes')::interval END
FROM (
  SELECT g,
    (1000000 + (g::bigint * 48271) %% 9000000)::text AS number,
    (SELECT ids[1 + h1 %% array_length(ids, 1)] FROM problem_ids) AS problem_id,
    CASE WHEN h2 %% 10 < 3 THEN 'tehran' ELSE (SELECT p[1 + h3 %% 31] FROM provinces) END AS province,
    CASE WHEN h2 %% 10 < 3 THEN 'تهران' ELSE 'شهر' || (h3 %% 400) END AS city,
    (ARRAY['new','new','verified','verified','verified','verified','verified',
           'in_intervention','resolved','rejected'])[1 + h4 %% 10] AS status,
    (SELECT string_agg(w.word, ' ') FROM (
        SELECT 1 + floor(random() ^ 2 * {vocabulary})::int AS k FROM generate_series(1, 5) WHERE g > 0
     ) AS pick JOIN words AS w ON w.id = pick.k) AS title,
    (SELECT string_agg(w.word, ' ') FROM (
        SELECT 1 + floor(random() ^ 2 * {vocabulary})::int AS k FROM generate_series(1, 25) WHERE g > 0
     ) AS pick JOIN words AS w ON w.id = pick.k) AS description
  FROM (
    SELECT g, hashint4(g) & 2147483647 AS h1, hashint4(g + 1000000) & 2147483647 AS h2,
      hashint4(g + 2000000) & 2147483647 AS h3, hashint4(g + 3000000) & 2147483647 AS h4
    FROM generate_series(1, %(reports)s) AS g
  ) AS hashed
) AS r;
UPDATE problems_report AS r SET group_id = reg.id, show_group_name = (r.id %% 2 = 0)
FROM registrations_registration AS reg
WHERE r.id %% 5 = 0 AND reg.id = (SELECT min(id) FROM registrations_registration) + (r.id * 7919) %% 900000;
INSERT INTO problems_statuschange (report_id, status, reason, created_at)
SELECT id, 'new', '', created_at FROM problems_report;
INSERT INTO problems_statuschange (report_id, status, reason, created_at)
SELECT id, status, '', verified_at FROM problems_report WHERE verified_at IS NOT NULL;
"""


def _env(db_url: str, redis_url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    env.update(production_env(db_url, redis_url))
    env.update(ALLOWED_HOSTS="127.0.0.1,localhost", PROBLEM_IP_RATE="1000000/m")
    return env


def _django(db_url: str, redis_url: str):
    os.environ.update(_env(db_url, redis_url))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def seed(db_url: str, redis_url: str) -> None:
    _django(db_url, redis_url)
    from django.db import connection, transaction

    from registrations.choices import Province

    sql = SEED_SQL.format(
        words=", ".join(f"'{w}'" for w in WORDS),
        provinces=", ".join(f"'{p}'" for p in Province.values),
        syllables=", ".join(f"'{x}'" for x in SYLLABLES),
        vocabulary=len(WORDS) + 3000,
    )
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for statement in [s for s in sql.split(";\n") if s.strip()]:
            cursor.execute(statement, {"reports": REPORTS})
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE problems_report")
        cursor.execute("VACUUM ANALYZE problems_statuschange")
    print(f"seeded {REPORTS:,} reports in {time.perf_counter() - start:.0f} s")


def _sample(db_url: str, redis_url: str) -> dict:
    """Numbers, problems and cities to ask for, read in a child process (no Django here)."""
    code = """
import json, random
from problems.models import Problem, Report
from registrations.models import Registration
random.seed(17)
public = list(Report.objects.filter(status__in=["verified", "in_intervention", "resolved"])
              .order_by("?").values_list("number", flat=True)[:2000])
problem = Problem.objects.get(slug="addiction").pk
print(json.dumps({"numbers": public, "problem": problem,
                  "registrations": Registration.objects.count(),
                  "reports": Report.objects.count(),
                  "tehran_open": Report.objects.filter(problem=problem, city="تهران",
                        status__in=["new", "verified", "in_intervention"]).count(),
                  "tehran_public": Report.objects.filter(problem=problem, province="tehran",
                        status__in=["verified", "in_intervention", "resolved"]).count()}))
"""
    out = subprocess.run(
        [str(BIN / "python"), "manage.py", "shell", "-c", code],
        cwd=ROOT,
        env=_env(db_url, redis_url),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


def _gunicorn(env, port: int, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            "--workers=2",
            "--worker-class=gthread",
            "--threads=4",
            "--timeout=60",
            "--no-control-socket",
            f"--access-logfile={log}",
            "--access-logformat=%(U)s?%(q)s %(s)s %(D)s %({x-page-cache}o)s",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _server_times(log: Path, start_line: int) -> tuple[list[float], set[str], int, int]:
    """Request times (ms), statuses and page-cache hits logged since `start_line`; next line."""
    lines = log.read_text(encoding="utf-8").splitlines()[start_line:]
    times, statuses, hits = [], set(), 0
    for line in lines:
        _path, status, micros, cache_state = line.rsplit(" ", 3)
        times.append(int(micros) / 1000)
        statuses.add(status)
        hits += cache_state == "hit"
    return times, statuses, hits, len(lines) + start_line


def measure(db_url: str, redis_url: str, requests: int) -> None:
    env = _env(db_url, redis_url)
    # A private Redis db: no fragment or page cached by an earlier run.
    db = urllib.parse.urlparse(redis_url)
    subprocess.run(
        [
            "redis-cli",
            "-h",
            db.hostname,
            "-p",
            str(db.port or 6379),
            "-n",
            db.path.strip("/") or "0",
            "flushdb",
        ],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        [str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    sample = _sample(db_url, redis_url)
    problem = sample["problem"]
    rng = random.Random(17)
    port = 18000 + os.getpid() % 1000
    workdir = Path(tempfile.mkdtemp(prefix="problems-bench-"))
    log = workdir / "access.log"
    log.touch()
    server = _gunicorn(env, port, log)
    try:
        for _ in range(300):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("GET", "/nehzat/")
                connection.getresponse().read()
                break
            except OSError:
                time.sleep(0.2)
        quoted = urllib.parse.quote
        pages = max(1, sample["tehran_public"] // 20)
        cases = {
            "campaign page from the page cache": lambda i: "/nehzat/",
            "public list, province + problem, fragment cached": (
                lambda i: f"/problems/?province=tehran&problem={problem}"
            ),
            "public list, province + problem, uncached (page i)": (
                lambda i: (
                    f"/problems/?province=tehran&problem={problem}&page={1 + i % pages}&sort=priority"
                )
            ),
            "public list, recent, unfiltered, uncached (page i)": (
                lambda i: f"/problems/?sort=recent&page={1 + i % 500}"
            ),
            "report page": lambda i: f"/problems/{sample['numbers'][i % len(sample['numbers'])]}/",
            "report API": lambda i: (
                f"/api/problems/{sample['numbers'][i % len(sample['numbers'])]}/"
            ),
            "duplicate lookup, Tehran (largest city)": lambda i: (
                f"/api/problems/duplicates/?problem={problem}&city={quoted('تهران')}"
                f"&text={quoted(' '.join(rng.sample(WORDS, 8)))}"
            ),
            "duplicate lookup, a small city": lambda i: (
                f"/api/problems/duplicates/?problem={problem}&city={quoted('شهر' + str(i % 400))}"
                f"&text={quoted(' '.join(rng.sample(WORDS, 8)))}"
            ),
        }
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        line = len(log.read_text(encoding="utf-8").splitlines())
        results = {}
        for name, url_for in cases.items():
            for i in range(20):  # warm-up: connections, templates, the page cache
                connection.request("GET", url_for(i + requests))
                connection.getresponse().read()
            time.sleep(0.5)
            *_, line = _server_times(log, line)
            for i in range(requests):
                connection.request("GET", url_for(i))
                response = connection.getresponse()
                response.read()
            time.sleep(0.5)  # gunicorn writes its access line after the response
            times, statuses, hits, line = _server_times(log, line)
            assert statuses == {"200"}, (name, sorted(statuses))
            assert len(times) == requests, (name, len(times))
            if name.startswith("campaign page"):
                assert hits == requests, f"the campaign page was not served from the cache ({hits})"
            results[name] = {
                "median_ms": statistics.median(times),
                "p95_ms": statistics.quantiles(times, n=20)[-1],
                "requests": len(times),
            }
        base = results["campaign page from the page cache"]["median_ms"]
        with open("/proc/loadavg", encoding="ascii") as load:
            loadavg = load.read().split()[0]
        print(
            f"registrations {sample['registrations']:,}, reports {sample['reports']:,}; "
            f"open reports of the problem in Tehran {sample['tehran_open']:,}, public reports "
            f"of it in the province {sample['tehran_public']:,}; load average {loadavg}"
        )
        print("| request | median ms | p95 ms | × cached page |")
        print("|---|---|---|---|")
        for name, figures in results.items():
            print(
                f"| {name} | {figures['median_ms']:.2f} | {figures['p95_ms']:.2f} | "
                f"{figures['median_ms'] / base:.1f} |"
            )
    finally:
        server.terminate()
        server.wait(timeout=20)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("step", choices=["seed", "measure"])
    parser.add_argument("--db-url", default="postgres://postgres@127.0.0.1:5432/nehzat_pr17_bench")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/3")
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    if args.step == "seed":
        seed(args.db_url, args.redis_url)
    else:
        measure(args.db_url, args.redis_url, args.requests)
    return 0


if __name__ == "__main__":
    sys.exit(main())
