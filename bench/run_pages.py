"""Page benchmarks: server CPU per request of the campaign page, cached and uncached, against a
WhiteNoise static file on the same gunicorn in the same run; the campaign page's weight; and a
60 s load run mixing page views and registrations. Run it through `bench/pages.sh`.

CPU per request is read from /proc, as in the bakerydemo baseline: user+system ticks of the
gunicorn master and workers (and, for PostgreSQL, of the backends serving this database)
before and after each wrk run, divided by the requests wrk completed.
"""

import argparse
import gzip
import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.request
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path
from statistics import median
from urllib.parse import urlencode, urljoin, urlparse


ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
RESULTS = ROOT / "bench" / "results"
TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def log(*args):
    print(*args, flush=True)


# --- processes and CPU --------------------------------------------------------------------
def _ticks(pid: int, children: bool = False) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except FileNotFoundError:
        return 0
    utime, stime, cutime, cstime = (int(x) for x in fields[11:15])
    return utime + stime + ((cutime + cstime) if children else 0)


def _children(pid: int) -> list[int]:
    pids = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        pids += [int(x) for x in text]
    return pids


def gunicorn_ticks(master: int) -> int:
    """The master (with reaped children) and every live worker."""
    return _ticks(master, children=True) + sum(_ticks(pid) for pid in _children(master))


def postgres_backends(db_url: str, db_name: str) -> list[int]:
    out = subprocess.run(
        [
            str(BIN / "python"),
            "-c",
            "import sys, psycopg; c = psycopg.connect(sys.argv[1]);"
            "print(' '.join(str(r[0]) for r in c.execute("
            "'SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()',"
            " (sys.argv[2],))))",
            db_url,
            db_name,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return [int(x) for x in out]


# --- HTTP ---------------------------------------------------------------------------------
def fetch(url: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers or {})  # noqa: S310 - our own server
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def wait_for(url: str, seconds: int = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if fetch(url)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer 200 within {seconds}s")


class _Assets(HTMLParser):
    def __init__(self):
        super().__init__()
        self.css, self.js, self.preload, self.images = [], [], [], []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("rel") == "stylesheet":
            self.css.append(a["href"])
        elif tag == "link" and a.get("rel") == "preload":
            self.preload.append(a["href"])
        elif tag == "script" and a.get("src"):
            self.js.append(a["src"])
        elif tag == "img" and a.get("src"):
            self.images.append(a["src"])
        elif tag == "video" and a.get("poster"):
            self.images.append(a["poster"])


# --- wrk ----------------------------------------------------------------------------------
def _ms(value: str) -> float:
    number, unit = re.match(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def wrk(url: str, seconds: int, connections: int, script: str | None = None, env=None) -> dict:
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        url,
    ]
    if script:
        command[1:1] = ["-s", script]
    out = subprocess.run(
        command, capture_output=True, text=True, check=True, env=env, timeout=seconds + 60
    ).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    result = {
        "requests": requests,
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
        "p50": _ms(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1)),
        "p99": _ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1)),
        "non2xx": int(m.group(1))
        if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", out))
        else 0,
        "socket_errors": sum(int(x) for x in m.groups())
        if (
            m := re.search(
                r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
            )
        )
        else 0,
        "raw": out,
    }
    return result


def measure(name, url, master, seconds, connections, pg=None) -> dict:
    backends = pg() if pg else []
    before = gunicorn_ticks(master)
    pg_before = sum(_ticks(pid) for pid in backends)
    result = wrk(url, seconds, connections)
    after = gunicorn_ticks(master)
    pg_after = sum(_ticks(pid) for pid in backends)
    result["name"] = name
    result["cpu_ms"] = (after - before) * TICK_MS / max(result["requests"], 1)
    result["pg_cpu_ms"] = (pg_after - pg_before) * TICK_MS / max(result["requests"], 1)
    log(
        f"  {name:<16} {result['rps']:>8.1f} req/s  p50 {result['p50']:>7.2f} ms  "
        f"p99 {result['p99']:>7.2f} ms  gunicorn {result['cpu_ms']:.3f} ms/req  "
        f"postgres {result['pg_cpu_ms']:.3f} ms/req  errors {result['non2xx'] + result['socket_errors']}"
    )
    return result


# --- page weight --------------------------------------------------------------------------
def page_weight(base: str, path: str) -> dict:
    """Bytes on the wire for the page and what it loads, as a gzip-accepting browser gets them."""
    accept = {"Accept-Encoding": "gzip"}
    status, headers, html_wire = fetch(base + path, accept)
    html = gzip.decompress(html_wire) if headers.get("Content-Encoding") == "gzip" else html_wire
    assets = _Assets()
    assets.feed(html.decode())
    rows = [("html", path, len(html_wire), len(html))]
    fonts = {u for u in assets.preload if u.endswith(".woff2")}
    for kind, urls in (("css", assets.css), ("js", assets.js)):
        for url in urls:
            _s, h, wire = fetch(urljoin(base, url), accept)
            body = gzip.decompress(wire) if h.get("Content-Encoding") == "gzip" else wire
            rows.append((kind, url, len(wire), len(body)))
            if kind == "css":
                for font in re.findall(r"url\(['\"]?([^'\")]+\.woff2)", body.decode()):
                    fonts.add(urljoin(url, font))
    for url in sorted(fonts):
        _s, _h, wire = fetch(urljoin(base, url), accept)
        rows.append(("font", url, len(wire), len(wire)))
    images = 0
    for url in assets.images:
        images += len(fetch(urljoin(base, url))[2])
    total = sum(row[2] for row in rows)
    return {"rows": rows, "total": total, "images": images, "status": status}


# --- registrations for the load run -------------------------------------------------------
def registration_tokens(base: str, slug: str) -> dict:
    status, headers, body = fetch(f"{base}/{slug}/register/")
    html = body.decode()
    cookie = re.search(r"csrftoken=([^;]+)", headers.get("Set-Cookie", "")).group(1)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    started = re.search(r'name="started" value="([^"]+)"', html).group(1)
    form = {
        "csrfmiddlewaretoken": token,
        "started": started,
        "website": "",
        "kind": "ngo",
        "organisation_name": "انجمن یاوران محله",
        "province": "tehran",
        "city": "تهران",
        "fields_of_activity": ["social_harm", "education"],
        "capacities": ["volunteers", "venue"],
        "experience": "ده سال کار با کودکان کار",
        "years_active": "۱۰",
        "member_count": "۴۵",
        "representative_name": "مریم احمدی",
        "email": "info@example.org",
        "consent": "on",
    }
    return {"BENCH_CSRF_COOKIE": cookie, "BENCH_BODY": urlencode(form, doseq=True)}


def production_env(db_url: str, redis_url: str) -> dict[str, str]:
    """`config.settings.production` on the bench's PostgreSQL and Redis, over plain HTTP."""
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "bench-only-key-0123456789abcdefghijklmnopqrstuvwxyz-ABCDEFG",
        "DATABASE_URL": db_url,
        "CACHE_URL": redis_url,
        "CELERY_BROKER_URL": redis_url,
        "SECURE_SSL_REDIRECT": "0",
        "CONN_MAX_AGE": "600",
        "LOG_LEVEL": "WARNING",
    }


def manage(env, *args):
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def django_query(env, code: str) -> str:
    return (
        subprocess.run(
            [str(BIN / "python"), "manage.py", "shell", "-c", code],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db-url", default="postgres://postgres@127.0.0.1:5432/nehzat_prod")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/12")
    parser.add_argument("--port", type=int, default=8731)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--load-seconds", type=int, default=60)
    parser.add_argument("--skip-load", action="store_true")
    args = parser.parse_args()

    RESULTS.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base = f"http://127.0.0.1:{args.port}"
    db_name = urlparse(args.db_url).path.lstrip("/")
    env = {
        **os.environ,
        **production_env(args.db_url, args.redis_url),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "PUBLIC_BASE_URL": base,
        "GUNICORN_ACCESS_LOG": "0",
        "GUNICORN_MAX_REQUESTS": "0",
        "WEB_CONCURRENCY": "2",
        "PORT": str(args.port),
        # The load run registers thousands of groups from one address within a minute.
        "REGISTRATION_IP_RATE": "100000000/m",
        "REGISTRATION_MOBILE_RATE": "1000/m",
        "REGISTRATION_MIN_FILL_SECONDS": "0",
        "SMS_BACKEND": "console",
        "PATH": f"{BIN}:{os.environ['PATH']}",
    }
    subprocess.run(
        [str(BIN / "python"), "deploy/ensure_database.py"], cwd=ROOT, env=env, check=True
    )
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    manage(env, "load_demo_content")
    django_query(
        env,
        "from registrations.models import Registration; from sms.models import SmsMessage;"
        "SmsMessage.objects.all().delete(); Registration.objects.all().delete()",
    )
    subprocess.run(["redis-cli", "-u", args.redis_url, "FLUSHDB"], check=True, capture_output=True)

    gunicorn_log = open(RESULTS / f"gunicorn-{stamp}.log", "w")  # noqa: SIM115
    gunicorn = subprocess.Popen(
        [str(BIN / "gunicorn"), "config.wsgi:application", "--config", "config/gunicorn.py"],
        cwd=ROOT,
        env=env,
        stdout=gunicorn_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    # A second, identical gunicorn with the page cache (and so the fragments) off: every
    # request there is a cold render, as the first view after a publish is.
    cold_base = f"http://127.0.0.1:{args.port + 1}"
    cold_gunicorn = subprocess.Popen(
        [str(BIN / "gunicorn"), "config.wsgi:application", "--config", "config/gunicorn.py"],
        cwd=ROOT,
        env={**env, "PAGE_CACHE_SECONDS": "0", "PORT": str(args.port + 1)},
        stdout=gunicorn_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    worker = None
    try:
        wait_for(f"{base}/healthz/?checks=database")
        wait_for(f"{cold_base}/healthz/?checks=database")
        html = fetch(f"{base}/nehzat/")[2].decode()
        css = re.search(r'<link rel="stylesheet" href="([^"]+)"', html).group(1)
        targets = {
            "static": f"{base}{css}",
            "cached": f"{base}/nehzat/",
            "uncached": f"{base}/nehzat/?bench=uncached",
            "cold": f"{cold_base}/nehzat/",
        }
        masters = dict.fromkeys(targets, gunicorn.pid) | {"cold": cold_gunicorn.pid}
        for url in targets.values():
            for _ in range(20):
                fetch(url)
        status, headers, _ = fetch(targets["cached"])
        assert headers.get("X-Page-Cache") == "hit", headers
        status, headers, _ = fetch(targets["uncached"])
        assert "X-Page-Cache" not in headers, headers
        status, headers, _ = fetch(targets["cold"])
        assert "X-Page-Cache" not in headers, headers
        time.sleep(1)

        def pg():
            return postgres_backends(args.db_url, db_name)

        log(f"gunicorn: 2 sync workers, production settings, {db_name} on PostgreSQL, Redis cache")
        runs = []
        for r in range(1, args.rounds + 1):
            log(f"round {r}")
            for name, url in targets.items():
                result = measure(name, url, masters[name], args.seconds, args.connections, pg)
                result["round"] = r
                runs.append(result)

        weight = page_weight(base, "/nehzat/")
        log(
            f"page weight of /nehzat/: {weight['total']} bytes on the wire (+ {weight['images']} B images)"
        )

        load = None
        if not args.skip_load:
            worker_log = open(RESULTS / f"worker-{stamp}.log", "w")  # noqa: SIM115
            worker = subprocess.Popen(
                [
                    str(BIN / "celery"),
                    "-A",
                    "config",
                    "worker",
                    "-Q",
                    "sms,default",
                    "-P",
                    "threads",
                    "-c",
                    "8",
                    "--without-heartbeat",
                    "--without-gossip",
                    "--without-mingle",
                    "--loglevel",
                    "WARNING",
                ],
                cwd=ROOT,
                env=env,
                stdout=worker_log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            tokens = registration_tokens(base, "nehzat")
            load_env = {**os.environ, **tokens, "BENCH_SLUG": "nehzat"}
            before = gunicorn_ticks(gunicorn.pid)
            log(f"load run: {args.load_seconds}s, wrk -t2 -c{args.connections}, bench/mixed.lua")
            load = wrk(
                f"{base}/",
                args.load_seconds,
                args.connections,
                script=str(ROOT / "bench" / "mixed.lua"),
                env=load_env,
            )
            load["cpu_ms"] = (gunicorn_ticks(gunicorn.pid) - before) * TICK_MS / load["requests"]
            counts = json.loads(re.search(r"BENCH-COUNTS (\{.*\})", load["raw"]).group(1))
            load["counts"] = counts
            check = json.loads(
                django_query(
                    env,
                    "import json; from registrations.models import Registration as R;"
                    "from sms.models import SmsMessage as S;"
                    "sent = S.objects.filter(purpose='verification').values('subject_id');"
                    "print(json.dumps({'registrations': R.objects.count(),"
                    "'without_sms': R.objects.exclude(pk__in=sent).count()}))",
                )
            )
            load["db"] = check
            deadline = time.time() + 120
            while time.time() < deadline:
                pending = django_query(
                    env,
                    "from sms.models import SmsMessage as S;"
                    "print(S.objects.exclude(status__in=['sent','delivered']).count())",
                )
                if pending == "0":
                    break
                time.sleep(2)
            load["sms_pending_after_drain"] = int(pending)
            load["sms_drain_seconds"] = round(120 - (deadline - time.time()), 1)
            log(
                f"  {load['rps']:.1f} req/s, p50 {load['p50']:.2f} ms, p99 {load['p99']:.2f} ms, "
                f"non-2xx/3xx {load['non2xx']}, socket errors {load['socket_errors']}, "
                f"counts {counts}, db {check}, SMS not yet sent after drain: {pending}"
            )
    finally:
        for process in (worker, gunicorn, cold_gunicorn):
            if process is not None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=30)

    report = RESULTS / f"pages-{stamp}.json"
    for result in runs:
        result.pop("raw", None)
    if load:
        load.pop("raw", None)
    report.write_text(json.dumps({"runs": runs, "weight": weight, "load": load}, indent=2))
    summary = {
        name: {
            "cpu_ms": median(r["cpu_ms"] for r in runs if r["name"] == name),
            "pg_cpu_ms": median(r["pg_cpu_ms"] for r in runs if r["name"] == name),
            "rps": median(r["rps"] for r in runs if r["name"] == name),
            "p50": median(r["p50"] for r in runs if r["name"] == name),
            "p99": median(r["p99"] for r in runs if r["name"] == name),
            "errors": sum(r["non2xx"] + r["socket_errors"] for r in runs if r["name"] == name),
        }
        for name in ("static", "cached", "uncached", "cold")
    }
    static = summary["static"]["cpu_ms"]
    log("\nmedians of the rounds (server CPU per request = gunicorn; postgres beside it):")
    for name, s in summary.items():
        log(
            f"  {name:<9} gunicorn {s['cpu_ms']:.3f} ms  postgres {s['pg_cpu_ms']:.3f} ms  "
            f"ratio to static {s['cpu_ms'] / static:.1f}x  {s['rps']:.0f} req/s  "
            f"p50 {s['p50']:.2f} ms  p99 {s['p99']:.2f} ms  errors {s['errors']}"
        )
    log(f"results: {report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
