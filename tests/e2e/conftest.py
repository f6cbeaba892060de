"""Browser end-to-end tests: one server and one Chromium for the whole package.

The server is the production one (gunicorn, DEBUG off) in its own process on a free port,
with its own SQLite database (a copy of the test session's, migrated with the demo in it;
built by `migrate` and `load_demo_content` when the session runs on PostgreSQL), Celery tasks run
eagerly and SMS sent over HTTP to a fake Kavenegar server started here; the tests read
the codes from what the provider was asked to deliver. Chromium is Debian's
(/usr/bin/chromium); nothing downloads a browser.

Every step's screenshot goes to test-artifacts/e2e/<test>/; a failing test also leaves
the HTML and a screenshot of each page it had open, and the server's log is
test-artifacts/e2e/server.log.
"""

import itertools
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.support import ARTIFACTS, AXE_JS, ROOT, LiveSite, slug
from tests.fakes.kavenegar import FakeKavenegar


CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
API_KEY = "e2e-kavenegar-key"
WEBHOOK_SECRET = "e2e-webhook-secret"
SERVER_START_TIMEOUT = 60

_report_key = pytest.StashKey[dict]()


def unavailable(reason: str) -> None:
    """Skip, with the reason shown; under REQUIRE_SERVICES (CI) a missing piece fails instead."""
    if os.environ.get("REQUIRE_SERVICES"):
        pytest.fail(f"{reason} (REQUIRE_SERVICES is set, so this fails instead of skipping)")
    pytest.skip(reason)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    item.stash.setdefault(_report_key, {})[report.when] = report
    return report


@pytest.fixture(scope="package")
def artifacts() -> Path:
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    return ARTIFACTS


@pytest.fixture(scope="package")
def playwright_browser():
    if not CHROMIUM.exists():
        unavailable(
            f"Chromium is not installed at {CHROMIUM} (apt-get install chromium; .ci/run does)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed (make .venv/.dev)")
    # Package scope: Playwright's event loop is gone before the rest of the suite runs.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="package")
def fake_sms() -> Iterator[FakeKavenegar]:
    with FakeKavenegar(api_key=API_KEY) as fake:
        yield fake


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _server_env(*, workdir: Path, base_url: str, fake: FakeKavenegar) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "CELERY_", "DATABASE_", "CACHE_", "SMS", "KAVENEGAR"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tests.e2e.server_settings",
        SECRET_KEY="e2e-only-secret-key",
        DATABASE_URL=f"sqlite:///{workdir / 'db.sqlite3'}",
        MEDIA_ROOT=str(workdir / "media"),
        SERVE_MEDIA="true",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PUBLIC_BASE_URL=base_url,
        CACHE_URL="locmemcache://",
        CELERY_BROKER_URL="",
        SMS_BACKEND="kavenegar",
        KAVENEGAR_BASE_URL=fake.base_url,
        KAVENEGAR_API_KEY=API_KEY,
        SMS_WEBHOOK_SECRET=WEBHOOK_SECRET,
        # A browser fills the form faster than a person; every request comes from 127.0.0.1.
        REGISTRATION_MIN_FILL_SECONDS="0",
        REGISTRATION_IP_RATE="1000/m",
        STATUS_LOOKUP_IP_RATE="1000/m",
        # A group signs in seconds after registering; a person would wait the minute.
        REGISTRATION_RESEND_COOLDOWN="0",
        ACCOUNT_IP_RATE="1000/m",
        LOG_LEVEL="WARNING",
        PYTHONUNBUFFERED="1",
    )
    return env


def _wait_until_serving(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the e2e server exited ({process.returncode}); see {log}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - local
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    pytest.fail(f"the e2e server did not answer {url} in {SERVER_START_TIMEOUT}s; see {log}")


@pytest.fixture(scope="package")
def site(playwright_browser, e2e_server) -> LiveSite:
    """The demo site for a browser (asked for first: no browser, no server to build)."""
    return e2e_server


@pytest.fixture(scope="package")
def e2e_server(fake_sms, artifacts, tmp_path_factory, demo_database) -> Iterator[LiveSite]:
    """The demo site served by gunicorn, as `make run` sets it up, SMS going to `fake_sms`."""
    workdir = tmp_path_factory.mktemp("e2e-server")
    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = _server_env(workdir=workdir, base_url=base_url, fake=fake_sms)
    log_path = artifacts / "server.log"
    commands = [["migrate", "--noinput"], ["load_demo_content"]]
    if demo_database is not None:
        # The session's database, already migrated with the demo in it (55 s saved); the
        # demo command, finding the campaign there, only points the site at this server.
        demo_database.copy_to(workdir / "db.sqlite3", workdir / "media")
        commands = [["load_demo_content"]]
    with open(log_path, "ab") as log:
        for command in commands:
            done = subprocess.run(  # noqa: S603 - our own manage.py
                [sys.executable, "manage.py", *command],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
            )
            if done.returncode:
                pytest.fail(f"manage.py {command[0]} failed for the e2e server; see {log_path}")
        server = subprocess.Popen(  # noqa: S603 - our own server
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                "--workers=1",  # one process: the local-memory cache is shared by every request
                "--threads=4",
                "--timeout=60",
                "--access-logfile=-",
                "--no-control-socket",  # its default path is shared by every gunicorn here
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_until_serving(f"{base_url}/", server, log_path)
        yield LiveSite(url=base_url, fake=fake_sms, webhook_secret=WEBHOOK_SECRET)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="package")
def axe_source() -> Path:
    if not AXE_JS.exists():
        unavailable(f"axe-core is not installed at {AXE_JS} (npm ci; make test does)")
    return AXE_JS


@pytest.fixture
def step(request, artifacts):
    """step(page, "what happened"): a numbered full-page screenshot in the test's folder."""
    folder = artifacts / slug(request.node.name)
    counter = itertools.count(1)

    def take(page, name: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=folder / f"{next(counter):02d}-{slug(name)}.png", full_page=True)

    return take


@pytest.fixture
def new_page(request, playwright_browser, site, artifacts):
    """new_page(locale="fa-IR", viewport=phone): a page in a fresh browser context.

    Any 5xx answer the page gets fails the test; a failing test leaves each open page's
    HTML and screenshot in its artifacts folder.
    """
    contexts = []
    server_errors: list[str] = []

    def open_page(*, locale="fa-IR", viewport=None, **options):
        context = playwright_browser.new_context(
            base_url=site.url,
            locale=locale,
            viewport=viewport or {"width": 360, "height": 740},
            accept_downloads=True,
            **options,
        )
        context.set_default_timeout(15_000)
        context.on(
            "response",
            lambda response: (
                server_errors.append(f"{response.status} {response.url}")
                if response.status >= 500
                else None
            ),
        )
        contexts.append(context)
        return context.new_page()

    yield open_page

    reports = request.node.stash.get(_report_key, {})
    if any(report.failed for report in reports.values()):
        folder = artifacts / slug(request.node.name)
        folder.mkdir(parents=True, exist_ok=True)
        for c, context in enumerate(contexts, start=1):
            for p, page in enumerate(context.pages, start=1):
                stem = folder / f"failure-{c}-{p}"
                try:
                    page.screenshot(path=f"{stem}.png", full_page=True)
                    Path(f"{stem}.html").write_text(
                        f"<!-- {page.url} -->\n{page.content()}", encoding="utf-8"
                    )
                except Exception as error:  # diagnosis must never hide the failure itself
                    Path(f"{stem}.txt").write_text(f"{page.url}\n{error!r}", encoding="utf-8")
    for context in contexts:
        context.close()
    assert not server_errors, f"the server answered with an error: {server_errors}"
