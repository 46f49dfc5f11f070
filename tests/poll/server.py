"""A provider on 127.0.0.1 for the poll tests: it plays a match out snapshot by snapshot.

:class:`MatchServer` answers each GET with the next step of its script: a snapshot (the
match so far, with an ``ETag``: a request naming it gets ``304 Not Modified``) or a
fault (a status such as 503 or 429 with ``Retry-After``, a connection reset, a body cut
off before its announced length, an answer slower than the client's timeout).  Once the
script is played, snapshot ``then`` (default: the last) is served again and again.  Steps advance per
request, never by time, so what a poller sees does not depend on how fast it runs.
"""

from __future__ import annotations

import contextlib
import hashlib
import socket
import struct
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import orjson


@dataclass(frozen=True)
class Snapshot:
    """Serve snapshot ``index``."""

    index: int


@dataclass(frozen=True)
class Status:
    """Answer ``code`` with a short body (and ``Retry-After`` when given)."""

    code: int
    retry_after: int | None = None


@dataclass(frozen=True)
class Reset:
    """Close the connection at once with a TCP reset, answering nothing."""


@dataclass(frozen=True)
class CutOff:
    """Announce snapshot ``index`` whole, send half of it, close."""

    index: int


@dataclass(frozen=True)
class Slow:
    """Answer snapshot ``index`` after ``delay`` seconds."""

    index: int
    delay: float


Step = Snapshot | Status | Reset | CutOff | Slow


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:16] + '"'


class MatchServer:
    """The server (see the module); ``url`` once started; ``log`` lists what each request got."""

    def __init__(
        self,
        snapshots: Sequence[bytes],
        script: Sequence[Step],
        content_type: str = "application/json",
        then: int | None = None,
    ) -> None:
        self.snapshots = snapshots
        self.script = list(script)
        self.then = len(snapshots) - 1 if then is None else then
        self.content_type = content_type
        self.log: list[str] = []
        self._lock = threading.Lock()
        self._next = 0
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        assert self._httpd is not None
        host, port = self._httpd.server_address[:2]
        return f"http://{host!s}:{port}/match"

    def played(self) -> bool:
        """Every step of the script has been served."""
        with self._lock:
            return self._next >= len(self.script)

    def step(self) -> Step:
        with self._lock:
            played = self._next >= len(self.script)
            step = Snapshot(self.then) if played else self.script[self._next]
            self._next += 1
            return step

    def __enter__(self) -> MatchServer:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                step = server.step()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    server.answer(self, step)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._httpd is not None and self._thread is not None
        self._httpd.shutdown()
        self._httpd.server_close()
        self._thread.join(10)

    def answer(self, handler: BaseHTTPRequestHandler, step: Step) -> None:
        if isinstance(step, Status):
            body = orjson.dumps({"error": f"status {step.code}"})
            handler.send_response(step.code)
            if step.retry_after is not None:
                handler.send_header("Retry-After", str(step.retry_after))
            handler.send_header("Content-Type", "application/json")
            handler.send_header("Content-Length", str(len(body)))
            handler.end_headers()
            handler.wfile.write(body)
            self.log.append(f"status {step.code}")
            return
        if isinstance(step, Reset):
            sock = handler.connection
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            sock.close()
            handler.close_connection = True
            self.log.append("reset")
            return
        body = self.snapshots[step.index]
        if isinstance(step, Slow):
            time.sleep(step.delay)
        tag = etag(body)
        if isinstance(step, Snapshot) and handler.headers.get("If-None-Match") == tag:
            handler.send_response(304)
            handler.send_header("ETag", tag)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
            self.log.append(f"304 {step.index}")
            return
        handler.send_response(200)
        handler.send_header("Content-Type", self.content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.send_header("ETag", tag)
        handler.end_headers()
        if isinstance(step, CutOff):
            handler.wfile.write(body[: len(body) // 2])
            handler.wfile.flush()
            handler.close_connection = True
            handler.connection.shutdown(socket.SHUT_RDWR)
            self.log.append(f"cut {step.index}")
            return
        handler.wfile.write(body)
        self.log.append(f"{'slow' if isinstance(step, Slow) else 'body'} {step.index}")
