"""Fake SMS provider servers: real HTTP on 127.0.0.1, standard library only.

In a test::

    with FakeKavenegar(api_key="k") as fake:
        ...  # point KAVENEGAR_BASE_URL at fake.base_url; inspect fake.messages, fake.requests

Standalone (benchmarks, integration tests)::

    python -m tests.fakes.kavenegar --port 8765 --api-key test-key --latency-ms 50 --fail-rate 0.3 --seed 1

prints `listening on http://127.0.0.1:<port>` once it serves (`--port 0` picks a free port).

Control endpoints (JSON), shared by every fake; they need no API key and are not logged:

    GET  /__fake__/messages   every accepted message: id, receptor, text, localid, status, ...
    GET  /__fake__/requests   every provider request, raw: method, path, headers, body
    GET  /__fake__/inbound    the inbound messages and whether they were read
    POST /__fake__/inbound    {"sender", "text", "receptor"?, "push_url"?}: add an inbound message;
                              with push_url also POST it form-encoded (from, to, message,
                              messageid) there, and mark it read only if that answers 2xx
    POST /__fake__/status     {"id", "status"}: fix a message's provider status
    GET  /__fake__/config     the current configuration
    POST /__fake__/config     change it: latency_ms, fail_rate, fail_with, credit,
                              timeout_after_record, timeout_ms, invalid_receptors, disabled, ...
    POST /__fake__/reset      forget messages, inbound, requests; configuration back to start

Faults: each provider call fails with probability `fail_rate`, with one of `fail_with`:
an HTTP or provider code ("409", "500", "102"...), "timeout" (no answer for `timeout_ms`;
after recording the send when `timeout_after_record`, the ambiguous case) or "reset" (the
connection is reset before anything is recorded). `--seed` makes the draws repeatable.
"""

import argparse
import base64
import contextlib
import copy
import itertools
import json
import random
import signal
import socket
import struct
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Self


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # as sent, query included
    headers: list[tuple[str, str]]
    body: bytes

    @property
    def url_path(self) -> str:
        return urllib.parse.urlsplit(self.path).path

    @property
    def query(self) -> dict[str, str]:
        return dict(
            urllib.parse.parse_qsl(urllib.parse.urlsplit(self.path).query, keep_blank_values=True)
        )

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    def form(self) -> dict[str, str]:
        """The body read as a UTF-8 form (last value of a repeated field wins)."""
        return dict(urllib.parse.parse_qsl(self.body.decode(), keep_blank_values=True))

    def json(self) -> Any:
        return json.loads(self.body)

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "headers": [list(pair) for pair in self.headers],
            "body": self.body.decode("utf-8", errors="replace"),
            "body_base64": base64.b64encode(self.body).decode(),
        }


@dataclass
class Reply:
    status: int
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"

    @classmethod
    def json(cls, status: int, data: Any) -> "Reply":
        return cls(status, json.dumps(data, ensure_ascii=False).encode())


@dataclass
class Message:
    id: int
    receptor: str
    text: str
    sender: str
    date: int
    cost: float
    parts: int
    localid: str | None = None
    # Provider statuses still to come; the first is the current one (see report()).
    lifecycle: list[Any] = field(default_factory=list)

    @property
    def status(self) -> Any:
        return self.lifecycle[0]

    def report(self) -> Any:
        """The current status, then move one step towards the final one."""
        current = self.lifecycle[0]
        if len(self.lifecycle) > 1:
            self.lifecycle.pop(0)
        return current

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "receptor": self.receptor,
            "text": self.text,
            "localid": self.localid,
            "status": self.status,
            "sender": self.sender,
            "date": self.date,
            "cost": self.cost,
            "parts": self.parts,
        }


@dataclass
class Inbound:
    id: int
    sender: str
    receptor: str
    text: str
    date: int
    read: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "sender": self.sender,
            "receptor": self.receptor,
            "text": self.text,
            "date": self.date,
            "read": self.read,
        }


class FakeError(Exception):
    """A provider error answer, raised from inside a handler."""

    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


def parts_of(text: str) -> int:
    """SMS parts, computed independently of sms.backends.text (a fake checks the real one)."""
    if all(ord(ch) < 128 for ch in text):
        return 1 if len(text) <= 160 else -(-len(text) // 153)
    units = sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)
    return 1 if units <= 70 else -(-units // 67)


BASE_CONFIG: dict[str, Any] = {
    "latency_ms": 0,
    "fail_rate": 0.0,
    "fail_with": ["500"],
    "credit": None,  # None: unlimited
    "price_per_part": 1,
    "timeout_after_record": True,
    "timeout_ms": 30_000,
    "invalid_receptors": [],  # numbers the provider refuses although well-formed
    "disabled": False,  # the account behind the key is disabled
}


class FakeProvider:
    """State, faults and control endpoints; a subclass implements the provider's API."""

    name: ClassVar[str] = "fake"
    extra_config: ClassVar[dict[str, Any]] = {}
    first_message_id: ClassVar[int] = 1_000_001
    first_inbound_id: ClassVar[int] = 5_000_001

    def __init__(
        self,
        *,
        api_key: str = "test-key",
        line: str = "30001152",
        host: str = "127.0.0.1",
        port: int = 0,
        seed: int | None = None,
        **config: Any,
    ) -> None:
        self.api_key = api_key
        self.line = line
        self.host = host
        self.port = port
        self.seed = seed
        defaults = {**BASE_CONFIG, **self.extra_config}
        self._check_config(config, defaults)
        self._defaults = {**defaults, **config}
        self._lock = threading.RLock()
        self._stopping = threading.Event()
        self._connections: set[socket.socket] = set()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.reset()

    # --- lifecycle -----------------------------------------------------------------

    def start(self) -> Self:
        self._stopping.clear()
        self._server = _Server((self.host, self.port), _Handler)
        self._server.fake = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is None:
            return
        self._stopping.set()  # wakes handlers sleeping for latency or a timeout fault
        self._server.shutdown()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:  # idle keep-alive connections hold a thread each
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        self._server.server_close()
        self._server = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # --- state ---------------------------------------------------------------------

    def reset(self) -> None:
        with self._lock:
            self.config = copy.deepcopy(self._defaults)
            self._random = random.Random(self.seed)
            self._message_ids = itertools.count(self.first_message_id)
            self._inbound_ids = itertools.count(self.first_inbound_id)
            self._requests: list[RecordedRequest] = []
            self._messages: dict[int, Message] = {}
            self._inbound: list[Inbound] = []

    def configure(self, **changes: Any) -> dict[str, Any]:
        with self._lock:
            self._check_config(changes, self.config)
            self.config.update(changes)
            return copy.deepcopy(self.config)

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    @property
    def messages(self) -> list[dict[str, Any]]:
        with self._lock:
            return [message.as_dict() for message in self._messages.values()]

    @property
    def inbound(self) -> list[dict[str, Any]]:
        with self._lock:
            return [message.as_dict() for message in self._inbound]

    def set_status(self, message_id: int, status: Any) -> None:
        with self._lock:
            self._messages[int(message_id)].lifecycle = [status]

    def add_inbound(
        self, sender: str, text: str, receptor: str | None = None, push_url: str | None = None
    ) -> dict[str, Any]:
        with self._lock:
            message = Inbound(
                id=next(self._inbound_ids),
                sender=str(sender),
                receptor=str(receptor or self.line),
                text=text,
                date=int(time.time()),
            )
            self._inbound.append(message)
        result = message.as_dict()
        if push_url:
            result["push_status"] = status = self._push(push_url, message)
            if status is not None and 200 <= status < 300:
                with self._lock:
                    message.read = True
            result["read"] = message.read
        return result

    def _push(self, url: str, message: Inbound) -> int | None:
        if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
            raise ValueError("push_url must be http(s)")
        body = urllib.parse.urlencode(
            {
                "from": message.sender,
                "to": message.receptor,
                "message": message.text,
                "messageid": message.id,
            }
        ).encode()
        request = urllib.request.Request(url, data=body, method="POST")  # noqa: S310 - scheme checked
        request.add_header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 - scheme checked
                return response.status
        except urllib.error.HTTPError as exc:
            return exc.code
        except OSError:
            return None

    def new_message(self, **fields: Any) -> Message:
        """Record an accepted message (call with the lock held)."""
        message = Message(id=next(self._message_ids), **fields)
        self._messages[message.id] = message
        return message

    def message(self, message_id: int) -> Message | None:
        return self._messages.get(message_id)

    def charge(self, parts: int) -> bool:
        """Take `parts` worth of credit; False when it does not suffice (lock held)."""
        credit = self.config["credit"]
        cost = parts * self.config["price_per_part"]
        if credit is None:
            return True
        if credit < cost:
            return False
        self.config["credit"] = credit - cost
        return True

    @staticmethod
    def _check_config(changes: dict[str, Any], known: dict[str, Any]) -> None:
        unknown = set(changes) - set(known)
        if unknown:
            raise ValueError(f"unknown fake setting(s): {', '.join(sorted(unknown))}")

    # --- requests ------------------------------------------------------------------

    def handle(self, handler: "_Handler") -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        request = RecordedRequest(
            method=handler.command,
            path=handler.path,
            headers=list(handler.headers.items()),
            body=handler.rfile.read(length) if length else b"",
        )
        if request.url_path.startswith("/__fake__/"):
            handler.reply(self._control(request))
            return
        with self._lock:
            self._requests.append(request)
            latency = self.config["latency_ms"] / 1000
            fault = None
            if self.config["fail_rate"] and self._random.random() < self.config["fail_rate"]:
                fault = self._random.choice(self.config["fail_with"])
            timeout = self.config["timeout_ms"] / 1000
            record_first = self.config["timeout_after_record"]
        if latency:
            self._stopping.wait(latency)
        if fault == "reset":
            handler.reset()
            return
        if fault == "timeout" and not record_first:
            self._stopping.wait(timeout)
            handler.reset()
            return
        if fault not in (None, "timeout"):
            reply = self.fault_reply(int(fault))
        else:
            with self._lock:
                try:
                    reply = self.handle_api(request)
                except FakeError as exc:
                    reply = self.error_reply(exc.code)
        if fault == "timeout":
            self._stopping.wait(timeout)  # the send is recorded; the client gives up waiting
        handler.reply(reply)

    def handle_api(self, request: RecordedRequest) -> Reply:
        raise NotImplementedError

    def error_reply(self, code: int) -> Reply:
        raise NotImplementedError

    def fault_reply(self, code: int) -> Reply:
        return self.error_reply(code)

    def _control(self, request: RecordedRequest) -> Reply:
        route = (request.method, request.url_path.rstrip("/"))
        try:
            payload = json.loads(request.body or b"{}") if request.method == "POST" else {}
            if not isinstance(payload, dict):
                raise ValueError("a JSON object is expected")
            if route == ("GET", "/__fake__/messages"):
                return Reply.json(200, self.messages)
            if route == ("GET", "/__fake__/requests"):
                return Reply.json(200, [r.as_dict() for r in self.requests])
            if route == ("GET", "/__fake__/inbound"):
                return Reply.json(200, self.inbound)
            if route == ("POST", "/__fake__/inbound"):
                return Reply.json(
                    200,
                    self.add_inbound(
                        payload["sender"],
                        payload["text"],
                        payload.get("receptor"),
                        payload.get("push_url"),
                    ),
                )
            if route == ("POST", "/__fake__/status"):
                self.set_status(int(payload["id"]), payload["status"])
                return Reply.json(200, {"ok": True})
            if route == ("GET", "/__fake__/config"):
                with self._lock:
                    return Reply.json(200, self.config)
            if route == ("POST", "/__fake__/config"):
                return Reply.json(200, self.configure(**payload))
            if route == ("POST", "/__fake__/reset"):
                self.reset()
                return Reply.json(200, {"ok": True})
        except (KeyError, TypeError, ValueError) as exc:
            return Reply.json(400, {"error": str(exc)})
        return Reply.json(404, {"error": "no such control endpoint"})

    # --- command line --------------------------------------------------------------

    @classmethod
    def main(cls, argv: list[str] | None = None) -> None:
        parser = argparse.ArgumentParser(description=f"Fake {cls.name} SMS API on 127.0.0.1")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=0, help="0 picks a free port (printed)")
        parser.add_argument("--api-key", default="test-key")
        parser.add_argument("--line", default="30001152")
        parser.add_argument("--latency-ms", type=int, default=0)
        parser.add_argument("--fail-rate", type=float, default=0.0)
        parser.add_argument(
            "--fail-with", default="500", help="comma-separated, e.g. 409,500,timeout,reset"
        )
        parser.add_argument("--timeout-ms", type=int, default=30_000)
        parser.add_argument("--credit", type=float, default=None)
        parser.add_argument("--seed", type=int, default=None)
        args = parser.parse_args(argv)
        fake = cls(
            api_key=args.api_key,
            line=args.line,
            host=args.host,
            port=args.port,
            seed=args.seed,
            latency_ms=args.latency_ms,
            fail_rate=args.fail_rate,
            fail_with=[f.strip() for f in args.fail_with.split(",") if f.strip()],
            timeout_ms=args.timeout_ms,
            credit=args.credit,
        )
        done = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: done.set())
        signal.signal(signal.SIGINT, lambda *_: done.set())
        with fake:
            sys.stdout.write(f"listening on {fake.base_url}\n")
            sys.stdout.flush()
            while not done.wait(0.1):
                pass


def closed_port(host: str = "127.0.0.1") -> int:
    """A local port nothing listens on (for connection-refused tests)."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256
    fake: FakeProvider


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as requests.Session uses it
    disable_nagle_algorithm = True  # no 40 ms delayed-ACK stall between requests
    server: _Server

    def setup(self) -> None:
        super().setup()
        with self.server.fake._lock:
            self.server.fake._connections.add(self.connection)

    def finish(self) -> None:
        with self.server.fake._lock:
            self.server.fake._connections.discard(self.connection)
        with contextlib.suppress(OSError):
            super().finish()

    def handle_one_request(self) -> None:
        try:
            super().handle_one_request()
        except OSError:  # the client went away, or a reset fault closed the socket
            self.close_connection = True

    def _dispatch(self) -> None:
        self.server.fake.handle(self)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _dispatch

    def reply(self, reply: Reply) -> None:
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
        except OSError:
            self.close_connection = True

    def reset(self) -> None:
        """Close with a TCP reset, sending nothing."""
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.connection.close()
        self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        pass  # every request is in /__fake__/requests instead
