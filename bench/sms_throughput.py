"""SMS worker throughput: a real Celery worker sending through the fake Kavenegar over HTTP.

    .venv/bin/python bench/sms_throughput.py --database-url postgres://postgres@127.0.0.1:5432/nehzat_rel

Starts a private Redis, the fake Kavenegar (`--latency-ms`, 50 by default: every send waits
that long for its answer, as a provider on the internet does) and `celery worker -P threads`,
writes `--messages` queued outbox rows to `<database>_bench` (made once, then reused; migrated on every run),
publishes one `send_sms` task per row and times them until every row is `sent`. Prints a
Markdown table row. A warm-up batch runs first (connections, imports).
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from celery import Celery

from tests.integration import stack


def queue_rows(db: stack.LiveDb, count: int, offset: int) -> list[int]:
    # Due in an hour, so no sweep would ever touch them: only the published tasks send.
    rows = db.rows(
        "INSERT INTO registrations_smsmessage (recipient, text, purpose, status, attempts,"
        " provider, provider_message_id, last_error, created_at, updated_at, next_attempt_at)"
        " SELECT '+98912' || lpad(i::text, 7, '0'), 'کد تأیید ثبت‌نام شما: ' || lpad(i::text, 6, '0'),"
        " 'verification', 'queued', 0, '', '', '', now(), now(), now() + interval '1 hour'"
        " FROM generate_series(%s::int, %s::int) AS i RETURNING id",
        (offset, offset + count - 1),
    )
    return [row[0] for row in rows]


def run_batch(db, broker, ids: list[int], timeout: float) -> float:
    started = time.monotonic()
    for message_id in ids:
        broker.send_task("registrations.tasks.send_sms", args=[message_id], queue="sms")
    first, last = min(ids), max(ids)
    stack.wait_until(
        lambda: (
            db.scalar(
                "SELECT count(*) FROM registrations_smsmessage"
                " WHERE status = 'sent' AND id BETWEEN %s AND %s",
                (first, last),
            )
            == len(ids)
        ),
        timeout=timeout,
        interval=0.05,
        what=f"{len(ids)} SMS sent",
        details=lambda: str(db.sms_statuses()),
    )
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True, help="a PostgreSQL server (any db)")
    parser.add_argument("--messages", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=300)
    parser.add_argument("--latency-ms", type=int, default=50)
    parser.add_argument("--workers", type=int, default=1, help="worker processes")
    parser.add_argument("--concurrency", type=int, default=32, help="threads per worker")
    parser.add_argument("--fresh", action="store_true", help="rebuild the bench database")
    parser.add_argument(
        "--worker-log-level", default="INFO", help="LOG_LEVEL of the workers (INFO as deployed)"
    )
    args = parser.parse_args()

    log_dir = Path(tempfile.mkdtemp(prefix="nehzat_bench_"))
    print(f"process logs in {log_dir}")
    name = f"{stack.database_name(args.database_url) or 'nehzat'}_bench"
    database_url = stack.prepare_database(args.database_url, name, fresh=args.fresh)
    db = stack.LiveDb(database_url)
    db.reset()
    redis = stack.RedisServer(log_dir).start()
    fake = stack.FakeKavenegarProcess(log_dir, latency_ms=args.latency_ms).start()
    env = stack.live_env(
        database_url=database_url,
        broker_url=redis.url(0),
        kavenegar_url=fake.base_url,
        CONN_MAX_AGE="60",
        LOG_LEVEL="WARNING",
    )
    workers = []
    broker = Celery(broker=redis.url(0), set_as_current=False)
    try:
        for number in range(args.workers):
            env_n = {**env, "LOG_LEVEL": args.worker_log_level}
            workers.append(
                stack.celery_worker(
                    log_dir, env_n, name=f"bench-worker{number}", concurrency=args.concurrency
                )
            )
        run_batch(db, broker, queue_rows(db, args.warmup, 1), timeout=300)
        ids = queue_rows(db, args.messages, 100_000)
        cpu_before = sum(stack.cpu_seconds(w.pid) for w in workers)
        fake_before = stack.cpu_seconds(fake.popen.pid)
        elapsed = run_batch(db, broker, ids, timeout=600)
        cpu = sum(stack.cpu_seconds(w.pid) for w in workers) - cpu_before
        fake_cpu = stack.cpu_seconds(fake.popen.pid) - fake_before
        accepted = len(fake.messages())
        assert accepted == args.warmup + args.messages, f"the fake accepted {accepted}"
        print(
            "| messages | latency | workers × threads | wall s | SMS/s | worker CPU ms/SMS"
            " | fake CPU ms/SMS |"
        )
        print("|---|---|---|---|---|---|---|")
        print(
            f"| {args.messages} | {args.latency_ms} ms | {args.workers} × {args.concurrency} "
            f"| {elapsed:.2f} | {args.messages / elapsed:.0f} "
            f"| {1000 * cpu / args.messages:.2f} | {1000 * fake_cpu / args.messages:.2f} |"
        )
    finally:
        broker.close()
        for worker in workers:
            worker.stop()
        fake.stop()
        redis.process.stop()
        db.close()


if __name__ == "__main__":
    main()
