"""Fault tolerance against the real services: nothing lost, nothing sent twice.

Each test breaks one thing under load (the broker, a worker, the provider, the database)
and then checks, at the fake provider and in the outbox, that every registration's SMS was
accepted exactly once.
"""

import threading
import time
from collections import Counter

import pytest

from . import stack


pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db,
    pytest.mark.usefixtures("clean_state"),
]


def accepted(responses) -> list[str]:
    """Problems among registration answers: anything but the redirect to the code page."""
    problems = []
    for response in responses:
        if isinstance(response, Exception):
            problems.append(repr(response))
        elif response.status_code != 302 or "/confirm/" not in response.headers.get("Location", ""):
            problems.append(f"{response.status_code}: {response.text[:300]}")
    return problems


def wait_all_sent(live_db, count: int, timeout: float) -> None:
    stack.wait_until(
        lambda: live_db.sms_statuses() == {"sent": count},
        timeout=timeout,
        interval=0.5,
        what=f"all {count} SMS sent",
        details=lambda: f"outbox: {live_db.sms_statuses()}",
    )


def assert_one_sms_each(fake, live_db, mobiles: list[str]) -> list[dict]:
    """Each mobile got exactly one SMS at the provider, from its one outbox row."""
    messages = fake.messages()
    per_mobile = Counter(m["receptor"] for m in messages)
    twice = {mobile: n for mobile, n in per_mobile.items() if n != 1}
    assert not twice, f"mobiles with more than one SMS: {twice}"
    assert set(per_mobile) == set(mobiles)
    rows = live_db.sms_rows()
    assert len(rows) == len(mobiles)
    assert {r["provider_message_id"] for r in rows} == {str(m["id"]) for m in messages}
    assert sorted(int(m["localid"]) for m in messages) == sorted(r["idempotency_key"] for r in rows)
    return rows


def test_redis_stopped_while_200_registrations_are_submitted(
    web, provider, worker, beat, live_db, redis_server
):
    """Broker down mid-wave: every registration saved, every SMS sent once Redis is back."""
    provider.configure(latency_ms=20)
    mobiles = [stack.mobile_number(1000 + i) for i in range(200)]
    stopped = threading.Event()

    def stop_redis_after_50(answered: int) -> None:
        if answered == 50:
            redis_server.stop()  # non-persistent: every task it held is gone
            stopped.set()

    responses = stack.submit_registrations(web, mobiles, after_each=stop_redis_after_50)
    assert stopped.is_set()
    assert accepted(responses) == []
    assert live_db.registrations() == 200
    waiting = live_db.sms_statuses().get("queued", 0)
    # What was submitted while Redis was down can only wait in the outbox.
    assert waiting >= 140, live_db.sms_statuses()

    redis_server.start()
    wait_all_sent(live_db, 200, timeout=120)
    assert_one_sms_each(provider, live_db, mobiles)


def test_a_worker_killed_mid_batch_loses_and_duplicates_nothing(
    web, provider, worker_pool, beat, live_db
):
    provider.configure(latency_ms=400)  # 16 sends in flight at any moment
    worker = worker_pool.running()
    mobiles = [stack.mobile_number(2000 + i) for i in range(100)]
    assert accepted(stack.submit_registrations(web, mobiles)) == []

    stack.wait_until(
        lambda: len(provider.messages()) >= 30,
        timeout=60,
        what="a third of the batch at the provider",
    )
    worker.kill()  # SIGKILL: no goodbye, its claimed rows stay "sending"
    worker_pool.start()

    wait_all_sent(live_db, 100, timeout=120)
    rows = assert_one_sms_each(provider, live_db, mobiles)
    # The kill interrupted sends in flight: the sweep found those rows left "sending" and
    # sent them again with the same localid; for those the provider had already accepted,
    # it answered with the first message instead of sending a second.
    interrupted = [r for r in rows if r["attempts"] > 1]
    assert interrupted, "the kill interrupted no send; the test proved nothing"
    calls = Counter(call["localid"] for call in provider.send_requests())
    assert any(calls[str(r["idempotency_key"])] >= 2 for r in interrupted), (
        "no interrupted send had reached the provider; localid de-duplication was not tested"
    )


def test_a_provider_failing_30_percent_of_calls_still_sends_each_sms_once(
    web, provider, worker, beat, live_db
):
    provider.configure(
        latency_ms=20,
        fail_rate=0.3,
        fail_with=["409", "500", "502", "timeout", "reset"],
        timeout_ms=3000,  # beyond the workers' 2 s read timeout
    )
    mobiles = [stack.mobile_number(3000 + i) for i in range(100)]
    assert accepted(stack.submit_registrations(web, mobiles)) == []

    wait_all_sent(live_db, 100, timeout=180)
    rows = assert_one_sms_each(provider, live_db, mobiles)
    calls = provider.send_requests()
    assert len(calls) > 110, "the provider failed too few calls for this test to mean much"
    assert max(r["attempts"] for r in rows) > 1


def test_an_account_error_pauses_sending_instead_of_burning_retries(
    web, provider, worker, beat, live_db, live_env
):
    provider.configure(credit=10)  # ten single-part SMS, then 418 "not enough credit"
    tasks_before = worker.tasks_succeeded()
    mobiles = [stack.mobile_number(4000 + i) for i in range(30)]
    assert accepted(stack.submit_registrations(web, mobiles)) == []

    stack.wait_until(
        lambda: live_db.scalar(
            "SELECT reason FROM registrations_smsgatewaystate WHERE paused_at IS NOT NULL"
        ),
        timeout=60,
        what="the gateway paused",
    )
    # Every task has run and found the gateway paused; the sweep leaves the rest waiting.
    stack.wait_until(
        lambda: (
            live_db.sms_statuses().keys() == {"sent", "queued"}
            and worker.tasks_succeeded() - tasks_before >= 30
        ),
        timeout=60,
        what="every task run once",
        details=lambda: str(live_db.sms_statuses()),
    )
    # Three sweeps' time (beat runs one a second): checking that nothing more is tried
    # while paused needs some time to pass.
    time.sleep(3)
    reason = live_db.scalar("SELECT reason FROM registrations_smsgatewaystate")
    assert "418" in reason
    assert "SMS sending paused after an account-level provider error" in worker.output()
    statuses = live_db.sms_statuses()
    assert statuses == {"sent": 10, "queued": 20}
    assert len(provider.messages()) == 10
    # No retries burned: each waiting row was tried at most once, the provider asked
    # at most once per row.
    assert max(r["attempts"] for r in live_db.sms_rows()) <= 1
    assert len(provider.send_requests()) <= 30

    # Staff top up the account and resume sending (the back office's button).
    provider.configure(credit=None)
    stack.manage(
        {**live_env, "KAVENEGAR_BASE_URL": provider.base_url},
        "shell",
        "-c",
        "from sms.outbox import resume_gateway; print(resume_gateway())",
    )
    wait_all_sent(live_db, 30, timeout=60)
    assert_one_sms_each(provider, live_db, mobiles)


class Traffic:
    """Registrations and campaign page views in a loop until stopped, every answer kept."""

    def __init__(self, base_url: str, threads: int = 4):
        self.base_url = base_url
        self.threads = threads
        self.phase = "before"
        self.answers: list[tuple[str, str, int, str, str]] = []  # phase, kind, status, mobile, body
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.counter = iter(range(5000, 10_000))
        self.workers = [threading.Thread(target=self.run, daemon=True) for _ in range(threads)]

    def __enter__(self):
        for thread in self.workers:
            thread.start()
        return self

    def __exit__(self, *exc_info):
        self.stopping.set()
        for thread in self.workers:
            thread.join(120)

    def run(self) -> None:
        visitor = stack.Visitor(self.base_url)
        visitor.open_form()
        page = stack.requests.Session()
        while not self.stopping.is_set():
            with self.lock:
                mobile = stack.mobile_number(next(self.counter))
            phase = self.phase
            try:
                answer = visitor.register(mobile)
                self.record(phase, "register", answer, mobile)
                answer = page.get(f"{self.base_url}/nehzat/", timeout=60)
                self.record(phase, "page", answer, "")
            except stack.requests.RequestException as error:
                with self.lock:
                    self.answers.append((phase, "error", 0, mobile, repr(error)))
            time.sleep(0.05)

    def record(self, phase, kind, response, mobile) -> None:
        with self.lock:
            self.answers.append((phase, kind, response.status_code, mobile, response.text))
            if response.status_code == 503:
                assert response.headers.get("Retry-After"), "a 503 without Retry-After"

    def count(self, phase: str, status: int) -> int:
        with self.lock:
            return sum(1 for a in self.answers if a[0] == phase and a[2] == status)


def test_postgresql_restarted_during_traffic_gives_503_then_recovers(
    private_postgres, redis_server, provider, live_dir
):
    cluster, database_url = private_postgres
    # Broker and cache databases of their own: the session's worker must not see these tasks.
    env = stack.live_env(
        database_url=database_url,
        broker_url=redis_server.url(2),
        cache_url=redis_server.url(3),
        CONN_MAX_AGE="60",  # persistent connections: the restart kills them under the app
    )
    web, base_url = stack.gunicorn(live_dir, env, name="gunicorn-pg")
    worker = stack.celery_worker(
        live_dir, {**env, "KAVENEGAR_BASE_URL": provider.base_url}, name="worker-pg"
    )
    beat = stack.celery_beat(live_dir, env, name="beat-pg")
    db = stack.LiveDb(database_url)
    try:
        with Traffic(base_url) as traffic:
            stack.wait_until(
                lambda: traffic.count("before", 302) >= 10, timeout=60, what="traffic flowing"
            )
            cluster.stop("fast")
            traffic.phase = "down"
            stack.wait_until(
                lambda: traffic.count("down", 503) >= 10, timeout=60, what="503s while down"
            )
            cluster.start()  # no other step: the site must find the database again itself
            traffic.phase = "after"
            stack.wait_until(
                lambda: traffic.count("after", 302) >= 10,
                timeout=60,
                what="registrations accepted again after the restart",
            )
        statuses = Counter((a[0], a[1], a[2]) for a in traffic.answers)
        assert {a[2] for a in traffic.answers} <= {200, 302, 503}, statuses
        unavailable = [a[4] for a in traffic.answers if a[2] == 503]
        assert all("سایت برای لحظاتی در دسترس نیست" in body for body in unavailable)
        assert not any("Traceback" in body or "5432" in body for body in unavailable)
        assert statuses["after", "page", 200] > 0

        # Every registration the site accepted was saved and gets its code exactly once.
        accepted = {"+98" + a[3][1:] for a in traffic.answers if a[2] == 302}
        saved = {row[0] for row in db.rows("SELECT mobile FROM registrations_registration")}
        assert accepted <= saved
        stack.wait_until(
            lambda: db.sms_statuses() == {"sent": len(saved)},
            timeout=60,
            interval=0.5,
            what="the codes of every saved registration sent",
            details=lambda: str(db.sms_statuses()),
        )
        per_mobile = Counter(m["receptor"] for m in provider.messages())
        assert set(per_mobile.values()) == {1}
        assert {"+98" + m[1:] for m in per_mobile} == saved
    finally:
        db.close()
        for process in (beat, worker, web):
            process.stop()
