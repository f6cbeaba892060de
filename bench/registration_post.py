"""Registration POST: server CPU per request and throughput on gunicorn + PostgreSQL + Redis.

    .venv/bin/python bench/registration_post.py --database-url postgres://postgres@127.0.0.1:5432/nehzat_rel

Serves the site with gunicorn (production settings on loopback HTTP, `collectstatic` with
WhiteNoise's manifest storage) against `<database>_bench` (made once, then reused; migrated on every run) and
a private Redis as broker and cache. In the same run it measures a WhiteNoise static file
(`css/site.css`) and the registration form POST (a new mobile each time, Persian digits,
CSRF and start-time token from a real GET beforehand), and prints each one's gunicorn-worker
CPU per request, read from /proc, and its throughput. Only gunicorn's CPU counts: the load
generator, PostgreSQL and Redis run on the same two cores and are not in the CPU figure.
No Celery worker runs: each POST's task waits in Redis, as it would during a wave.
"""

import argparse
import json
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests

from tests.integration import stack


def server_cpu(master: stack.Process) -> float:
    return sum(stack.cpu_seconds(pid) for pid in stack.child_pids(master.pid))


def measure(master, count: int, concurrency: int, one_request) -> tuple[float, float]:
    """(wall seconds, server CPU seconds) for `count` calls of `one_request(i)`."""
    cpu_before = server_cpu(master)
    started = time.monotonic()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one_request, range(count)))
    return time.monotonic() - started, server_cpu(master) - cpu_before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL server (any db)")
    parser.add_argument("--requests", type=int, default=1000, help="registration POSTs")
    parser.add_argument("--static-requests", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=8, help="client threads")
    parser.add_argument("--gunicorn-workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="gthread threads per worker")
    parser.add_argument("--fresh", action="store_true", help="rebuild the bench database")
    args = parser.parse_args()

    log_dir = Path(tempfile.mkdtemp(prefix="nehzat_bench_"))
    print(f"process logs in {log_dir}")
    name = f"{stack.database_name(args.database_url) or 'nehzat'}_bench"
    database_url = stack.prepare_database(args.database_url, name, fresh=args.fresh)
    db = stack.LiveDb(database_url)
    db.reset()
    redis = stack.RedisServer(log_dir).start()
    env = stack.live_env(
        database_url=database_url,
        broker_url=redis.url(0),
        cache_url=redis.url(1),
        CONN_MAX_AGE="60",
        LOG_LEVEL="WARNING",
        STATIC_ROOT=str(log_dir / "static"),
        LIVE_COLLECTED_STATIC="1",
    )
    stack.manage(env, "collectstatic", "--noinput")
    manifest = json.loads((log_dir / "static" / "staticfiles.json").read_text())
    static_path = f"/static/{manifest['paths']['css/site.css']}"
    web, base_url = stack.gunicorn(
        log_dir, env, workers=args.gunicorn_workers, threads=args.threads, name="bench-gunicorn"
    )
    local = threading.local()
    try:

        def get_static(_index: int) -> None:
            session = getattr(local, "session", None) or requests.Session()
            local.session = session
            response = session.get(base_url + static_path, timeout=30)
            assert response.status_code == 200, response.status_code

        def post_registration(index: int) -> None:
            visitor = getattr(local, "visitor", None)
            if visitor is None:
                visitor = local.visitor = stack.Visitor(base_url)
            response = visitor.register(stack.mobile_number(index))
            assert response.status_code == 302, (response.status_code, response.text[:500])

        # Warm up: imports, connections, every client's form GET (CSRF, start time).
        measure(web, 200, args.concurrency, get_static)
        measure(
            web, 5 * args.concurrency, args.concurrency, lambda i: post_registration(900_000 + i)
        )

        static_wall, static_cpu = measure(web, args.static_requests, args.concurrency, get_static)
        post_wall, post_cpu = measure(web, args.requests, args.concurrency, post_registration)

        queued = redis.queue_length("sms")
        saved = db.scalar("SELECT count(*) FROM registrations_smsmessage WHERE status = 'queued'")
        expected = args.requests + 5 * args.concurrency
        assert saved == expected and queued == expected, (saved, queued, expected)

        static_ms = 1000 * static_cpu / args.static_requests
        post_ms = 1000 * post_cpu / args.requests
        print(
            f"gunicorn {args.gunicorn_workers} workers × {args.threads} threads (gthread), "
            f"{args.concurrency} client threads, PostgreSQL + Redis (broker and cache)"
        )
        print("| request | count | wall s | req/s | server CPU ms/req | × static |")
        print("|---|---|---|---|---|---|")
        print(
            f"| static file (WhiteNoise) | {args.static_requests} | {static_wall:.1f} "
            f"| {args.static_requests / static_wall:.0f} | {static_ms:.2f} | 1 |"
        )
        print(
            f"| registration POST | {args.requests} | {post_wall:.1f} "
            f"| {args.requests / post_wall:.0f} | {post_ms:.2f} | {post_ms / static_ms:.1f} |"
        )
        print(
            f"every POST saved its registration and queued its SMS task: {saved} rows, {queued} tasks"
        )
    finally:
        web.stop()
        redis.process.stop()
        db.close()


if __name__ == "__main__":
    main()
