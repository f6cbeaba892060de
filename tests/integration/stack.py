"""Real services as child processes, for the integration tests and the benchmarks.

A private Redis, a private PostgreSQL cluster, the fake Kavenegar, gunicorn, a Celery worker
and Celery beat, each started on a free port of 127.0.0.1 with its log in a file, waited for
with a timeout, and stopped by its own process id. Plain Python (no pytest), so `bench/`
drives the same stack.

Every wait polls a condition and fails with what it saw and the log's last lines, never
sleeps and hopes.
"""

import contextlib
import glob
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import requests

from persian.text import to_persian_digits


ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
BIN = Path(PYTHON).parent
API_KEY = "integration-key"
SECRET_KEY = "integration-only-secret-key"
LIVE_SETTINGS = "tests.integration.live_settings"
# Registration tables emptied between tests.
REGISTRATION_TABLES = (
    "registrations_smsmessage",
    "registrations_inboundsms",
    "registrations_smsoptout",
    "registrations_smsgatewaystate",
    "registrations_registration",
    # The dashboard's summary rows and the export jobs go with the rows they describe.
    "registrations_summary",
    "registrations_exportjob",
)


class StackError(AssertionError):
    """A service did not start, or a condition was not reached in time."""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_open(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((host, port)) == 0


def tail(path: Path | None, lines: int = 30) -> str:
    if path is None or not path.exists():
        return ""
    text = path.read_text(errors="replace").splitlines()[-lines:]
    return "\n".join(text)


def wait_until(
    condition: Callable[[], Any],
    *,
    timeout: float,
    what: str,
    interval: float = 0.1,
    details: Callable[[], str] | None = None,
) -> Any:
    """Poll `condition` until it returns something truthy; fail naming `what` and the state."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while True:
        try:
            value = condition()
        except StackError:
            raise  # a process died: waiting longer cannot help
        except Exception as error:  # a service still starting refuses connections
            value, last_error = None, error
        if value:
            return value
        if time.monotonic() > deadline:
            message = f"timed out after {timeout:.0f}s waiting for {what}"
            if last_error is not None:
                message += f"\nlast error: {last_error!r}"
            if details is not None:
                message += f"\n{details()}"
            raise StackError(message)
        time.sleep(interval)


class Process:
    """One child process with its output in a log file; stopped or killed by its own pid."""

    def __init__(self, name: str, args: list[str], *, log_dir: Path, env: dict | None = None):
        self.name = name
        self.args = args
        self.env = env
        self.log = log_dir / f"{name}.log"
        self.popen: subprocess.Popen | None = None
        self.log_offset = 0

    def start(self) -> "Process":
        # A restarted process appends to the same log; waits read only what it wrote.
        self.log_offset = self.log.stat().st_size if self.log.exists() else 0
        handle = self.log.open("ab")
        self.popen = subprocess.Popen(  # noqa: S603 - our own commands
            self.args,
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a signal to the test runner does not reach it
        )
        handle.close()
        return self

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def check_running(self) -> None:
        if not self.running():
            code = self.popen.returncode if self.popen else None
            raise StackError(f"{self.name} exited ({code}):\n{tail(self.log)}")

    def wait_for_log(self, pattern: str, timeout: float = 60) -> None:
        regex = re.compile(pattern)

        def seen():
            self.check_running()
            return regex.search(self.output())

        wait_until(
            seen,
            timeout=timeout,
            what=f"{self.name}: /{pattern}/ in its log",
            details=lambda: tail(self.log),
        )

    def output(self) -> str:
        """What this run of the process has logged so far."""
        with self.log.open("rb") as handle:
            handle.seek(self.log_offset)
            return handle.read().decode(errors="replace")

    def tasks_succeeded(self, task: str = "send_sms") -> int:
        """How many `task` runs this Celery worker has finished (it logs each one)."""
        return len(re.findall(rf"{task}\[[^]]+\] succeeded", self.output()))

    def stop(self, timeout: float = 15) -> None:
        """SIGTERM, then SIGKILL if it has not exited in `timeout` seconds."""
        if not self.running():
            return
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        if self.running():
            self.popen.kill()
            self.popen.wait(10)


# --- Redis -------------------------------------------------------------------------------


class RedisServer:
    """A private, non-persistent Redis on a free port: stopping it loses every queued task."""

    def __init__(self, log_dir: Path, port: int | None = None):
        self.port = port or free_port()
        self.process = Process(
            "redis",
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(log_dir),
            ],
            log_dir=log_dir,
        )

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> "RedisServer":
        self.process.start()
        wait_until(
            self.ping,
            timeout=20,
            what="redis to answer PING",
            details=lambda: tail(self.process.log),
        )
        return self

    def ping(self) -> bool:
        self.process.check_running()
        with self.client() as client:
            return client.ping()

    def client(self, db: int = 0):
        import redis

        return redis.Redis.from_url(self.url(db), socket_timeout=5)

    def stop(self) -> None:
        self.process.stop()
        wait_until(lambda: not port_open(self.port), timeout=10, what="redis to close its port")

    def empty_queues(self) -> None:
        """Drop queued tasks and cached values, keeping kombu's queue bindings.

        Long-running publishers (gunicorn) declared their queues once; without the bindings
        their next task would be routed nowhere.
        """
        for db in (0, 1):
            with self.client(db) as client:
                keys = [k for k in client.keys("*") if not k.startswith(b"_kombu.binding.")]
                if keys:
                    client.delete(*keys)

    def queue_length(self, queue: str) -> int:
        with self.client() as client:
            return client.llen(queue)


# --- PostgreSQL --------------------------------------------------------------------------


def pg_bin(name: str) -> str | None:
    """A PostgreSQL server program (initdb, pg_ctl) of the newest installed version."""
    found = sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(Path(p).parts[4]) if Path(p).parts[4].isdigit() else 0,
    )
    return found[-1] if found else shutil.which(name)


def with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def database_name(url: str) -> str:
    return urllib.parse.urlsplit(url).path.lstrip("/")


class PostgresCluster:
    """A private PostgreSQL cluster in a temporary folder, free to stop and restart.

    initdb refuses to run as root, so as root it runs as the `postgres` system user.
    """

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="nehzat_rel_pg_"))
        self.data = self.directory / "data"
        self.log = self.directory / "postgres.log"
        self.as_root = os.geteuid() == 0

    def _run(self, *args: str, timeout: float = 120) -> None:
        command = ["runuser", "-u", "postgres", "--", *args] if self.as_root else list(args)
        result = subprocess.run(  # noqa: S603 - our own commands
            command, capture_output=True, text=True, timeout=timeout, check=False
        )
        if result.returncode != 0:
            raise StackError(
                f"{' '.join(args[:2])} failed ({result.returncode}):\n{result.stdout}\n"
                f"{result.stderr}\n{tail(self.log)}"
            )

    def init(self) -> "PostgresCluster":
        if self.as_root:
            shutil.chown(self.directory, "postgres", "postgres")
        self._run(
            pg_bin("initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
        )
        return self

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._run(
            pg_bin("pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-o",
            options,
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self, mode: str = "fast") -> None:
        self._run(pg_bin("pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def url(self, name: str = "postgres") -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def destroy(self) -> None:
        with contextlib.suppress(StackError, FileNotFoundError):
            if (self.data / "postmaster.pid").exists():
                self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


class LiveDb:
    """Reads and small writes on the database the live processes use (autocommit)."""

    def __init__(self, url: str):
        self.url = url
        self._connection = None

    def _conn(self):
        import psycopg

        if self._connection is None or self._connection.closed:
            self._connection = psycopg.connect(self.url, autocommit=True)
        return self._connection

    def rows(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        try:
            with self._conn().cursor() as cursor:
                cursor.execute(sql, tuple(params))
                return cursor.fetchall() if cursor.description else []
        except Exception:
            self.close()  # a restarted server leaves a dead connection behind
            raise

    def scalar(self, sql: str, params: Iterable[Any] = ()) -> Any:
        rows = self.rows(sql, params)
        return rows[0][0] if rows else None

    def close(self) -> None:
        if self._connection is not None:
            with contextlib.suppress(Exception):
                self._connection.close()
            self._connection = None

    # The outbox, as the tests look at it.

    def sms_statuses(self) -> dict[str, int]:
        return dict(
            self.rows("SELECT status, count(*) FROM registrations_smsmessage GROUP BY status")
        )

    def sms_rows(self) -> list[dict[str, Any]]:
        columns = (
            "id",
            "recipient",
            "purpose",
            "status",
            "attempts",
            "provider_message_id",
            "idempotency_key",
            "last_error",
            "subject_id",
        )
        return [
            dict(zip(columns, row, strict=True))
            for row in self.rows(
                f"SELECT {', '.join(columns)} FROM registrations_smsmessage ORDER BY id"  # noqa: S608 - constant names
            )
        ]

    def registrations(self) -> int:
        return self.scalar("SELECT count(*) FROM registrations_registration")

    def reset(self) -> None:
        self.rows(f"TRUNCATE {', '.join(REGISTRATION_TABLES)} CASCADE")


def create_database(server_url: str, name: str, *, from_dump: Path | None = None) -> str:
    """(Re)create database `name` on the server of `server_url`, restored from a pg_dump file."""
    import psycopg

    with psycopg.connect(with_database(server_url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = with_database(server_url, name)
    if from_dump is not None:
        result = subprocess.run(  # noqa: S603
            [
                shutil.which("pg_restore") or "pg_restore",
                "--no-owner",
                "--no-privileges",
                "-d",
                url,
                str(from_dump),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if result.returncode != 0:
            raise StackError(f"pg_restore into {name} failed:\n{result.stderr[-3000:]}")
    return url


def drop_database(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(with_database(server_url, "postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def dump_database(url: str, path: Path) -> Path:
    result = subprocess.run(  # noqa: S603
        [shutil.which("pg_dump") or "pg_dump", "-Fc", "--no-owner", "-d", url, "-f", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    if result.returncode != 0:
        raise StackError(f"pg_dump failed:\n{result.stderr[-3000:]}")
    return path


# --- the fake provider -------------------------------------------------------------------


class FakeKavenegarProcess:
    """`python -m tests.fakes.kavenegar` in its own process, read through /__fake__/."""

    def __init__(self, log_dir: Path, **options: Any):
        args = [PYTHON, "-m", "tests.fakes.kavenegar", "--port", "0", "--api-key", API_KEY]
        for name, value in options.items():
            args += [f"--{name.replace('_', '-')}", str(value)]
        self.log_dir = log_dir
        self.args = args
        self.popen: subprocess.Popen | None = None
        self.base_url = ""

    def start(self) -> "FakeKavenegarProcess":
        self.popen = subprocess.Popen(  # noqa: S603
            self.args,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        ready, _, _ = select.select([self.popen.stdout], [], [], 30)
        line = self.popen.stdout.readline().decode() if ready else ""
        match = re.search(r"listening on (http://\S+)", line)
        if not match:
            self.stop()
            raise StackError(f"fake Kavenegar did not start: {line!r}")
        self.base_url = match[1]
        return self

    def control(self, method: str, name: str, payload: dict | None = None) -> Any:
        response = requests.request(
            method, f"{self.base_url}/__fake__/{name}", json=payload, timeout=30
        )
        response.raise_for_status()
        return response.json()

    def messages(self) -> list[dict[str, Any]]:
        return self.control("GET", "messages")

    def send_requests(self) -> list[dict[str, Any]]:
        """Every sms/send call, with the form fields it carried."""
        calls = []
        for request in self.control("GET", "requests"):
            if request["path"].split("?")[0].endswith("/sms/send.json"):
                form = dict(urllib.parse.parse_qsl(request["body"], keep_blank_values=True))
                calls.append(form)
        return calls

    def configure(self, **changes: Any) -> dict[str, Any]:
        return self.control("POST", "config", changes)

    def stop(self) -> None:
        if self.popen is not None and self.popen.poll() is None:
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(10)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait(10)
        if self.popen is not None and self.popen.stdout:
            self.popen.stdout.close()


# --- the project's own processes ---------------------------------------------------------


def live_env(
    *,
    database_url: str,
    broker_url: str,
    cache_url: str | None = None,
    kavenegar_url: str = "http://127.0.0.1:9",
    **extra: str,
) -> dict[str, str]:
    """The environment of every live process: production-like settings on private services."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST", "CELERY_", "DATABASE_", "CACHE_", "SMS_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE=LIVE_SETTINGS,
        PYTHONPATH=str(ROOT),
        SECRET_KEY=SECRET_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        CELERY_BROKER_URL=broker_url,
        CACHE_URL=cache_url or "locmemcache://",
        SMS_BACKEND="kavenegar",
        KAVENEGAR_BASE_URL=kavenegar_url,
        KAVENEGAR_API_KEY=API_KEY,
        REGISTRATION_MIN_FILL_SECONDS="0",
        REGISTRATION_IP_RATE="100000/m",
        REGISTRATION_MOBILE_RATE="1000/m",
        REGISTRATION_DAILY_CODE_CAP="1000",
        LOG_LEVEL="INFO",
    )
    env.update(extra)
    return env


def gunicorn(
    log_dir: Path,
    env: dict[str, str],
    *,
    port: int | None = None,
    workers: int = 2,
    threads: int = 4,
    name: str = "gunicorn",
) -> tuple[Process, str]:
    port = port or free_port()
    process = Process(
        name,
        [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "gthread",
            "--threads",
            str(threads),
            "--timeout",
            "60",
            "--graceful-timeout",
            "5",
            "--error-logfile",
            "-",
        ],
        log_dir=log_dir,
        env=env,
    )
    process.start()
    base_url = f"http://127.0.0.1:{port}"

    def serving():
        process.check_running()
        return requests.get(f"{base_url}/nehzat/register/", timeout=30).status_code == 200

    wait_until(
        serving,
        timeout=90,
        interval=0.3,
        what=f"{name} to serve the registration form",
        details=lambda: tail(process.log),
    )
    return process, base_url


def celery_worker(
    log_dir: Path,
    env: dict[str, str],
    *,
    name: str = "worker",
    concurrency: int = 16,
    queues: str = "sms,default",
) -> Process:
    process = Process(
        name,
        [
            str(BIN / "celery"),
            "-A",
            "config",
            "worker",
            "-Q",
            queues,
            "-P",
            "threads",
            "-c",
            str(concurrency),
            "-n",
            f"{name}-{os.getpid()}@%h",
            "--without-heartbeat",
            "--without-gossip",
            "--without-mingle",
            "--loglevel",
            "INFO",
        ],
        log_dir=log_dir,
        env=env,
    )
    process.start()
    process.wait_for_log(r"ready\.", timeout=90)
    return process


def celery_beat(log_dir: Path, env: dict[str, str], *, name: str = "beat") -> Process:
    process = Process(
        name,
        [
            str(BIN / "celery"),
            "-A",
            "config",
            "beat",
            "--loglevel",
            "INFO",
            "--schedule",
            str(log_dir / f"{name}-schedule"),
            "--pidfile",
            "",
        ],
        log_dir=log_dir,
        env=env,
    )
    process.start()
    process.wait_for_log(r"beat: Starting", timeout=90)
    return process


def manage(env: dict[str, str], *args: str, timeout: float = 300) -> str:
    result = subprocess.run(  # noqa: S603
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        raise StackError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


# --- a visitor ---------------------------------------------------------------------------


def mobile_number(index: int) -> str:
    """A distinct Iranian mobile for registration `index`, national form, ASCII digits."""
    return f"0912{index:07d}"


def form_data(mobile: str, **overrides: str) -> dict[str, Any]:
    """A complete registration as a visitor types it: Persian digits in every number."""
    data = {
        "kind": "ngo",
        "organisation_name": "انجمن یاوران محله",
        "national_id": to_persian_digits("10380284790"),
        "permit_number": to_persian_digits("12345"),
        "province": "tehran",
        "city": "تهران",
        "fields_of_activity": ["social_harm", "education"],
        "capacities": ["volunteers", "venue"],
        "experience": "ده سال کار با کودکان کار",
        "years_active": to_persian_digits("10"),
        "member_count": to_persian_digits("45"),
        "representative_name": "مریم احمدی",
        "mobile": to_persian_digits(mobile),
        "national_code": to_persian_digits("0499370899"),
        "email": "info@example.org",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


_HIDDEN = r'name="{name}"[^>]*value="([^"]*)"|value="([^"]*)"[^>]*name="{name}"'


def hidden_value(html: str, name: str) -> str:
    match = re.search(_HIDDEN.format(name=re.escape(name)), html)
    if not match:
        raise StackError(f"no hidden field {name!r} in the page")
    return match[1] or match[2] or ""


class Visitor:
    """One browser: cookies, the CSRF token and the form's start time from a real GET."""

    def __init__(self, base_url: str, campaign: str = "nehzat"):
        self.base_url = base_url
        self.campaign = campaign
        self.session = requests.Session()
        self.csrf = ""
        self.started = ""

    @property
    def form_url(self) -> str:
        return f"{self.base_url}/{self.campaign}/register/"

    def open_form(self) -> None:
        response = self.session.get(self.form_url, timeout=30)
        response.raise_for_status()
        self.csrf = hidden_value(response.text, "csrfmiddlewaretoken")
        self.started = hidden_value(response.text, "started")

    def register(self, mobile: str, **overrides: str) -> requests.Response:
        """POST the form; a success is a redirect to the confirmation page (not followed)."""
        if not self.csrf:
            self.open_form()
        data = form_data(mobile, **overrides)
        data.update(csrfmiddlewaretoken=self.csrf, started=self.started)
        return self.session.post(
            self.form_url,
            data=data,
            allow_redirects=False,
            timeout=60,
            headers={"Referer": self.form_url},
        )

    def confirm(self, confirm_path: str, code: str) -> requests.Response:
        url = urllib.parse.urljoin(self.base_url, confirm_path)
        page = self.session.get(url, timeout=30)
        page.raise_for_status()
        csrf = hidden_value(page.text, "csrfmiddlewaretoken")
        return self.session.post(
            url,
            data={"code": to_persian_digits(code), "csrfmiddlewaretoken": csrf},
            allow_redirects=False,
            timeout=60,
            headers={"Referer": url},
        )


def submit_registrations(
    base_url: str,
    mobiles: list[str],
    *,
    threads: int = 8,
    after_each: Callable[[int], None] | None = None,
) -> list[requests.Response | Exception]:
    """Register each mobile from `threads` browsers at once; responses in `mobiles` order.

    `after_each(n)` is called (from a submitting thread) after the n-th answer arrives.
    """
    import threading
    from concurrent.futures import ThreadPoolExecutor

    local = threading.local()
    lock = threading.Lock()
    answered = [0]

    def submit(mobile: str):
        visitor = getattr(local, "visitor", None)
        if visitor is None:
            visitor = local.visitor = Visitor(base_url)
        try:
            result = visitor.register(mobile)
        except requests.RequestException as error:
            result = error
        with lock:
            answered[0] += 1
            count = answered[0]
        if after_each is not None:
            after_each(count)
        return result

    with ThreadPoolExecutor(threads) as pool:
        return list(pool.map(submit, mobiles))


# --- measuring ---------------------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (not its children)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def child_pids(pid: int) -> list[int]:
    """The direct children of a process (gunicorn's workers, for its master)."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(p) for p in (task / "children").read_text().split()]
    return found


def prepare_database(server_url: str, name: str, *, fresh: bool = False) -> str:
    """A database with the demo campaign, made once and reused (for bench/), migrated to
    the code's latest migrations on every use."""
    import psycopg

    url = with_database(server_url, name)
    env = live_env(database_url=url, broker_url="redis://127.0.0.1:9/0")
    with psycopg.connect(with_database(server_url, "postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
    if exists and not fresh:
        try:
            if LiveDb(url).scalar("SELECT count(*) FROM campaigns_campaignpage"):
                manage(env, "migrate", "--noinput", timeout=900)
                return url
        except Exception:  # noqa: S110 - half-built: build it again
            pass
    create_database(server_url, name)
    manage(env, "migrate", "--noinput", timeout=900)
    manage(env, "load_demo_content", timeout=600)
    return url
