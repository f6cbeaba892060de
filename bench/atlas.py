"""The atlas at national scale: cold rebuild of every layer, and the page served from cache.

    .venv/bin/python bench/atlas.py --db-url postgres://postgres@127.0.0.1:5432/nehzat_at_1m

on a database built by `bench/scale.py build --rows 1000000`; it first adds `--reports`
problem reports (200,000 by default) when the table has fewer: every problem of the taxonomy,
all 31 provinces, statuses spread as moderation leaves them (40% verified, 10% in an
intervention, 10% resolved, the rest new, rejected or merged). Under
`config.settings.production` with a private Redis db as cache, in this process:
`aggregates.compute()` (the one grouped query behind all layers; median of `--repeat`),
then `/atlas/` and the campaign page through Django's test client, each once cold and
then `--hits` times from the page cache (median).
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

from run_pages import production_env  # bench/ is the script's folder, so on sys.path


ROOT = Path(__file__).resolve().parent.parent
# Reports of every problem in every province; Tehran and a few large provinces weigh more.
SEED_REPORTS = """
INSERT INTO problems_report (number, public_id, problem_id, title, description, province, city,
  neighbourhood, people_affected, since, tried, may_contact, status, source, language,
  reporter_mobile, show_group_name, rejection_reason, search_text, support_count,
  group_support_count, city_support_count, priority, created_at, updated_at, verified_at)
SELECT 'B' || g::text, gen_random_uuid(),
  (SELECT array_agg(id ORDER BY id) FROM problems_problem)[1 + (g * 7) %% (SELECT count(*) FROM problems_problem)],
  'مسئله ' || g, 'شرح مسئله ' || g,
  (ARRAY[{provinces}] || ARRAY['tehran','tehran','tehran','khorasan_razavi','isfahan','fars'])
    [1 + (g * 13) %% 37], 'شهر' || (g %% 300), '', '11-100', 'months', '', false,
  (ARRAY['verified','verified','verified','verified','in_intervention','resolved','new',
         'new','rejected','merged'])[1 + g %% 10], 'web', 'fa',
  '+98912' || lpad((g %% 9999999)::text, 7, '0'), false, '', 'مسئله ' || g, 0, 0, 0, 0,
  now() - (g || ' minutes')::interval, now(), now() - (g || ' minutes')::interval
FROM generate_series(%(start)s, %(stop)s) g
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db-url", default="postgres://postgres@127.0.0.1:5432/nehzat_at_1m")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--hits", type=int, default=200)
    parser.add_argument("--reports", type=int, default=200_000)
    args = parser.parse_args()
    os.environ.update(production_env(args.db_url, args.redis_url))
    os.environ["ALLOWED_HOSTS"] = "testserver"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import cache, caches
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from atlas import aggregates
    from problems.models import Report
    from registrations.models import Registration

    have = Report.objects.count()
    if have < args.reports:
        with connection.cursor() as cursor:
            from registrations.choices import Province

            provinces = ", ".join(f"'{p}'" for p in Province.values)
            cursor.execute(
                SEED_REPORTS.format(provinces=provinces), {"start": have + 1, "stop": args.reports}
            )
            cursor.execute("VACUUM ANALYZE problems_report")
    reports = Report.objects.count()
    open_verified = Report.objects.filter(status__in=aggregates.OPEN_VERIFIED).count()
    rows = Registration.objects.count()
    approved = Registration.objects.filter(status="approved").count()
    timings = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        aggregates.compute()
        timings.append(time.perf_counter() - start)
    print(
        f"rows {rows:,} (approved {approved:,}); reports {reports:,} (open verified {open_verified:,})"
    )
    print(
        f"cold rebuild of all layers (compute): median {statistics.median(timings):.3f} s, "
        f"runs {', '.join(f'{t:.3f}' for t in timings)}"
    )
    # Production settings serve hashed static files: the pages need the manifest.
    call_command("collectstatic", interactive=False, verbosity=0)
    client = Client()
    for url in ("/atlas/", "/nehzat/"):
        cache.clear()
        caches["pages"].clear()
        start = time.perf_counter()
        first = client.get(url)
        cold = time.perf_counter() - start
        hits = []
        for _ in range(args.hits):
            start = time.perf_counter()
            response = client.get(url)
            hits.append(time.perf_counter() - start)
        assert first.status_code == 200 and response["X-Page-Cache"] == "hit", url
        print(
            f"{url}: cold {cold * 1000:.1f} ms, cached median {statistics.median(hits) * 1000:.2f} ms"
        )


if __name__ == "__main__":
    main()
