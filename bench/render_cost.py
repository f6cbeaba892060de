"""What one cold render of a page costs, in one process: queries, Python calls and CPU.

A cold render is a page built with no page cache and no fragments (as the first view after a
publish is). Run after `bench/pages.sh`, whose database it reuses:

    .venv/bin/python bench/render_cost.py [--path /nehzat/] [--requests 300]

Python calls per request are counted by cProfile and do not change with machine load, so
they compare two versions of the code exactly; CPU per request (process time, best of three
batches) is what the pages bench measures through gunicorn, less gunicorn's own share.
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

from run_pages import production_env  # bench/ is the script's folder, so on sys.path


ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--path", default="/nehzat/")
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--db-url", default="postgres://postgres@127.0.0.1:5432/nehzat_prod")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--show-queries", action="store_true")
    args = parser.parse_args()

    os.environ.update(
        production_env(args.db_url, args.redis_url),
        ALLOWED_HOSTS="testserver",
        PAGE_CACHE_SECONDS="0",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    for cache in caches.all():
        cache.clear()
    client = Client()
    for _ in range(20):
        response = client.get(args.path)
    if response.status_code != 200:
        print(f"{args.path} answered {response.status_code}", file=sys.stderr)
        return 1

    with CaptureQueriesContext(connection) as queries:
        client.get(args.path)
    # Read now: the next request clears the connection's query log.
    captured = list(queries.captured_queries)
    if args.show_queries:
        for query in captured:
            print("  ", query["sql"][:160])

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(50):
        client.get(args.path)
    profile.disable()
    calls = pstats.Stats(profile).total_calls // 50

    batches = []
    for _ in range(3):
        started = time.process_time()
        for _ in range(args.requests):
            client.get(args.path)
        batches.append((time.process_time() - started) * 1000 / args.requests)
    print(
        f"{args.path}: {len(captured)} queries, {calls} Python calls, "
        f"{min(batches):.2f} ms CPU per request (batches: "
        + ", ".join(f"{ms:.2f}" for ms in batches)
        + ")"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
