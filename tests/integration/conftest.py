"""Fixtures that start the real services an integration test needs, and stop them after.

The live processes (gunicorn, Celery worker and beat) run while this package's tests run
and are stopped after its last one. They use their own PostgreSQL database,
`<DATABASE_URL's name>_live`, restored from a dump of the test database once pytest-django
has built it (migrations and demo content), and a private Redis started here, so a test
may stop Redis or kill a worker without touching anything shared. The test process itself
reads that database with plain SQL (`LiveDb`) and never holds a Django transaction open
against it.

Without PostgreSQL (DATABASE_URL) or `redis-server` the tests are skipped with the reason;
with REQUIRE_SERVICES=1 (set by .ci/run) they fail instead.
"""

import os
import shutil

from django.conf import settings

import pytest

from . import stack


REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES", "").lower() in {"1", "true", "yes"}


def unavailable(reason: str):
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def services_available():
    """The PostgreSQL server of DATABASE_URL and the redis-server program, or skip/fail."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        unavailable("integration tests need PostgreSQL: set DATABASE_URL=postgres://…")
    if not shutil.which("redis-server"):
        unavailable("integration tests need the redis-server program (Debian package redis-server)")
    for program in ("pg_dump", "pg_restore"):
        if not shutil.which(program):
            unavailable(f"integration tests need {program} (Debian package postgresql-client)")
    server = server_url()
    try:
        stack.LiveDb(stack.with_database(server, "postgres")).scalar("SELECT 1")
    except Exception as error:
        unavailable(f"PostgreSQL at {stack.with_database(server, '')} is not reachable: {error}")


def server_url() -> str:
    database = settings.DATABASES["default"]
    user = database.get("USER") or "postgres"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/postgres"


LOG_DIRS = []


@pytest.fixture(scope="package")
def live_dir(tmp_path_factory):
    """Logs of every live process; their last lines are shown when a test fails."""
    path = tmp_path_factory.mktemp("live")
    LOG_DIRS.append(path)
    return path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed and call.when == "call" and LOG_DIRS:
        for log in sorted(LOG_DIRS[0].glob("*.log")):
            report.sections.append((f"live log {log.name}", stack.tail(log, 40)))
    return report


@pytest.fixture(scope="package")
def demo_dump(services_available, django_db_setup, django_db_blocker, live_dir):
    """A pg_dump of the test database: migrated, with the demo campaign loaded."""
    from django.db import connection

    with django_db_blocker.unblock():
        test_name = connection.settings_dict["NAME"]
        from campaigns.models import CampaignPage

        if not CampaignPage.objects.filter(slug="nehzat").exists():
            # An earlier transactional test emptied the database: build the demo again.
            from home.demo_content import load_demo_content

            load_demo_content(log=lambda *args: None)
        connection.close()
    return stack.dump_database(stack.with_database(server_url(), test_name), live_dir / "demo.dump")


@pytest.fixture(scope="package")
def live_database(demo_dump):
    """`<name>_live` on the shared PostgreSQL server, for the live processes."""
    name = f"{stack.database_name(os.environ.get('DATABASE_URL', '')) or 'nehzat'}_live"
    url = stack.create_database(server_url(), name, from_dump=demo_dump)
    yield url
    stack.drop_database(server_url(), name)


@pytest.fixture(scope="package")
def live_db(live_database):
    db = stack.LiveDb(live_database)
    yield db
    db.close()


@pytest.fixture(scope="package")
def redis_server(services_available, live_dir):
    server = stack.RedisServer(live_dir).start()
    yield server
    server.process.stop()


@pytest.fixture(scope="package")
def broker(redis_server):
    """A Celery app that only publishes to the private Redis, as a redelivering broker would.

    Not set as the current app: that would take the project's shared tasks out of eager
    mode for every later test in this process.
    """
    from celery import Celery

    app = Celery(broker=redis_server.url(0), set_as_current=False)
    yield app
    app.close()


@pytest.fixture(scope="package")
def live_env(live_database, redis_server):
    """The environment of web, worker and beat; a test adds KAVENEGAR_BASE_URL for workers."""
    return stack.live_env(
        database_url=live_database,
        broker_url=redis_server.url(0),
        cache_url=redis_server.url(1),
    )


@pytest.fixture(scope="package")
def web(live_env, live_dir):
    """gunicorn serving the site on a free port: its base URL."""
    process, base_url = stack.gunicorn(live_dir, live_env)
    yield base_url
    process.stop()


@pytest.fixture(scope="package")
def beat(live_env, live_dir):
    """Celery beat: sends the outbox sweep every second (live_settings)."""
    process = stack.celery_beat(live_dir, live_env)
    yield process
    process.stop()


@pytest.fixture
def clean_state(live_db, redis_server):
    """Every test starts with no registrations, no SMS and an empty broker."""
    if not redis_server.process.running():
        redis_server.start()
    redis_server.empty_queues()
    live_db.reset()
    yield


@pytest.fixture(scope="package")
def fake_server(services_available, live_dir):
    fake = stack.FakeKavenegarProcess(live_dir).start()
    yield fake
    fake.stop()


@pytest.fixture
def provider(fake_server):
    """The fake Kavenegar, emptied and back to its defaults; `provider.configure(...)` faults."""
    fake_server.control("POST", "reset")
    return fake_server


class Workers:
    """Celery workers sending through the fake provider; one kept running across tests."""

    def __init__(self, env, log_dir):
        self.env = env
        self.log_dir = log_dir
        self.started: list[stack.Process] = []

    def start(self, concurrency: int = 16) -> stack.Process:
        process = stack.celery_worker(
            self.log_dir, self.env, name=f"worker{len(self.started) + 1}", concurrency=concurrency
        )
        self.started.append(process)
        return process

    def running(self) -> stack.Process:
        """The running worker, started if there is none."""
        alive = [p for p in self.started if p.running()]
        return alive[-1] if alive else self.start()

    def stop_all(self) -> None:
        for process in self.started:
            process.stop()


@pytest.fixture(scope="package")
def worker_pool(live_env, fake_server, live_dir):
    pool = Workers({**live_env, "KAVENEGAR_BASE_URL": fake_server.base_url}, live_dir)
    yield pool
    pool.stop_all()


@pytest.fixture
def worker(worker_pool):
    """A running `celery worker -P threads -c 16` that sends through the fake provider."""
    return worker_pool.running()


@pytest.fixture
def private_postgres(demo_dump):
    """A PostgreSQL cluster of this test's own, free to restart: (cluster, database URL).

    Never the shared server: other work uses it.
    """
    for program in ("initdb", "pg_ctl"):
        if not stack.pg_bin(program):
            unavailable(f"the PostgreSQL restart test needs {program} (Debian package postgresql)")
    if os.geteuid() == 0:
        import pwd

        try:
            pwd.getpwnam("postgres")
        except KeyError:
            unavailable("as root, the PostgreSQL restart test needs the postgres system user")
    cluster = stack.PostgresCluster()
    try:
        cluster.init()
        cluster.start()
        url = stack.create_database(cluster.url(), "nehzat_rel_restart", from_dump=demo_dump)
        yield cluster, url
    finally:
        cluster.destroy()
