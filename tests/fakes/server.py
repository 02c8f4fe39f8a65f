"""The base of every vendor fake: a real HTTP server on 127.0.0.1 that the tests start, with routes, a record of
every request, and the faults the connector tests need (down, failing with a status, slow).

A vendor's fake (``tests/fakes/stripe.py``, ...) subclasses ``FakeVendor`` and registers its documented paths
with ``route``; handlers take the ``Request`` and return ``(status, headers, body)``, the body a dict (sent as
JSON) or bytes.
"""

from __future__ import annotations

import http.server
import json
import re
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

Reply = tuple[int, dict[str, str], Any]


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes
    params: dict[str, str] = field(default_factory=dict)  # the route's named groups

    def json(self) -> Any:
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, str]:
        """A form body (``application/x-www-form-urlencoded``), flattened: ``metadata[order]`` stays a key."""
        return dict(urllib.parse.parse_qsl(self.body.decode(), keep_blank_values=True))

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers.items() if k.lower() == name.lower()), "")


class FakeVendor:
    def __init__(self) -> None:
        self.routes: list[tuple[str, re.Pattern[str], Callable[[Request], Reply]]] = []
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        self.failures: list[Reply] = []  # answered first, one per request, before any route
        self.delay = 0.0
        # Requests to paths matching this answer only after ``slow_seconds``, having acted (an answer lost to a timeout).
        self.slow_path = ""
        self.slow_seconds = 0.0
        self._server: http.server.ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self.port = 0
        self.open_sockets: set[Any] = set()  # kept-alive client connections, closed when the vendor goes down

    # -- routes and faults -------------------------------------------------------------------
    def route(self, method: str, pattern: str, handler: Callable[[Request], Reply]) -> None:
        self.routes.append((method, re.compile(f"^{pattern}$"), handler))

    def fail_next(self, *replies: Reply | int) -> None:
        """Answer the next requests with these (a bare status gets the vendor's error body from ``error_reply``)."""
        with self.lock:
            self.failures.extend(r if isinstance(r, tuple) else self.error_reply(r) for r in replies)

    def error_reply(self, status: int) -> Reply:
        return status, {}, {"error": {"message": f"fake error {status}"}}

    def calls(self, method: str | None = None, path: str | None = None) -> list[Request]:
        with self.lock:
            return [
                r
                for r in self.requests
                if (method is None or r.method == method) and (path is None or re.fullmatch(path, r.path))
            ]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # -- the server --------------------------------------------------------------------------
    def start(self) -> FakeVendor:
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def setup(self) -> None:
                super().setup()
                with fake.lock:
                    fake.open_sockets.add(self.connection)

            def finish(self) -> None:
                with fake.lock:
                    fake.open_sockets.discard(self.connection)
                super().finish()

            def _handle(self) -> None:
                if self.server is not fake._server:  # stopped (or restarted): a kept-alive connection is dropped too
                    self.close_connection = True
                    return
                parsed = urllib.parse.urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                request = Request(
                    method=self.command,
                    path=parsed.path,
                    query=urllib.parse.parse_qs(parsed.query),
                    headers={k: v for k, v in self.headers.items()},
                    body=self.rfile.read(length) if length else b"",
                )
                status, headers, body = fake.dispatch(request)
                if fake.delay:
                    time.sleep(fake.delay)
                if fake.slow_path and re.fullmatch(fake.slow_path, request.path):
                    time.sleep(fake.slow_seconds)
                payload = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                if not any(k.lower() == "content-type" for k in headers):
                    self.send_header("Content-Type", "application/json")
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            do_GET = do_POST = do_DELETE = do_PATCH = do_PUT = _handle

            def log_message(self, *args: Any) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Shut down and free the port: the vendor is unreachable until ``start`` (same port) again."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        with self.lock:  # a client's kept-alive connection must not reach a vendor that is down either
            sockets, self.open_sockets = list(self.open_sockets), set()
        for sock in sockets:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    @contextmanager
    def down(self) -> Iterator[None]:
        self.stop()
        try:
            yield
        finally:
            self.start()

    def dispatch(self, request: Request) -> Reply:
        with self.lock:
            self.requests.append(request)
            failure = self.failures.pop(0) if self.failures else None
        if failure is not None:
            return failure
        for method, pattern, handler in self.routes:
            match = pattern.match(request.path)
            if method == request.method and match:
                request.params = match.groupdict()
                return handler(request)
        return self.error_reply(404)
