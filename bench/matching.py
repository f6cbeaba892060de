"""Matching groups to an intervention at national scale: `interventions.matching.candidates`.

    .venv/bin/python bench/scale.py build --rows 1000000 --db-url postgres://postgres@127.0.0.1:5432/nehzat_m_1m
    .venv/bin/python bench/matching.py --db-url postgres://postgres@127.0.0.1:5432/nehzat_m_1m

on a database built by `bench/scale.py build` (it migrates first, so the matching index of
registrations 0013 is there). Under `config.settings.production`, in this process: each case
is run once to warm up, then `--repeat` times; wall time of the whole call (queries and
building the results with their reasons), median and max, its query count, and the rows in
the area it ranked. `--explain` prints PostgreSQL's plan of the ranking query.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from run_pages import production_env  # bench/ is the script's folder, so on sys.path


ROOT = Path(__file__).resolve().parent.parent

# (label, problem slugs, province, city, still-needed capacities)
CASES = [
    ("Tehran city: the largest area (capital + 5 bordering provinces)", ["addiction"], "tehran", "تهران", []),
    ("Tehran, two problems, plan needs venue + funding", ["addiction", "child-labour"], "tehran", "تهران", ["venue", "funding"]),
    ("Tehran, three problems (7 fields, 7 capacities), plan needs 3", ["addiction", "child-labour", "elderly-without-carers"], "tehran", "تهران", ["venue", "funding", "transport"]),
    ("Tehran, a city with no group (province + neighbours only)", ["illiteracy"], "tehran", "ورامین", ["volunteers"]),
    ("Isfahan (9 bordering provinces)", ["water-shortage"], "isfahan", "اصفهان", ["equipment"]),
    ("Qom", ["poverty"], "qom", "قم", []),
    ("Sistan and Baluchestan, no city given", ["school-drop-out"], "sistan", "", ["training"]),
]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db-url", default="postgres://postgres@127.0.0.1:5432/nehzat_m_1m")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    os.environ.update(
        production_env(args.db_url, args.redis_url), ALLOWED_HOSTS="testserver", LOG_LEVEL="ERROR"
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from interventions import matching
    from interventions.adjacency import neighbours
    from problems.models import Problem
    from registrations.models import Registration

    call_command("migrate", verbosity=0)
    rows = Registration.objects.count()
    approved = Registration.objects.filter(status="approved").count()
    load = os.getloadavg()
    print(f"# {rows:,} registrations, {approved:,} approved; load average {load[0]:.1f}")
    worst = 0.0
    for label, slugs, province, city, needed in CASES:
        problems = list(Problem.objects.filter(slug__in=slugs))
        area = Registration.objects.filter(
            status="approved", province__in=[province, *neighbours(province)]
        ).count()

        def call(problems=problems, province=province, city=city, needed=needed):
            return matching.candidates(problems, province, city, needed_capacities=needed)

        result = call()
        timings = []
        for _ in range(args.repeat):
            with CaptureQueriesContext(connection) as captured:
                start = time.perf_counter()
                result = call()
                timings.append(time.perf_counter() - start)
        median = statistics.median(timings) * 1000
        worst = max(worst, median)
        print(
            f"{label}\n    area {area:,} approved rows; median {median:.1f} ms, "
            f"max {max(timings) * 1000:.1f} ms; {len(captured)} query; {len(result)} results; "
            f"first: {result[0].reason if result else '-'}"
        )
        if args.explain:
            sql = captured.captured_queries[-1]["sql"]
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                print("\n".join("      " + line for (line,) in cursor.fetchall()))
    print(f"# slowest median {worst:.1f} ms; load average after {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
