"""The platform's ASGI application (config/asgi.py) served by uvicorn in a thread of the test process, on 127.0.0.1.

What production and ``make run`` serve the stream with: pytest-django's live server speaks WSGI, which has no
WebSockets and would hold a thread per Server-Sent Events client. Use with a transactional database (the
server's threads see only committed rows).
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest


class AsgiServer:
    def __init__(self) -> None:
        import uvicorn

        from config.asgi import application

        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.socket.bind(("127.0.0.1", 0))
        port = self.socket.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}"
        config = uvicorn.Config(
            application, lifespan="off", ws="websockets-sansio", log_level="warning", timeout_graceful_shutdown=2
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.socket]}, name="asgi-server", daemon=True)

    def start(self) -> AsgiServer:
        self.thread.start()
        deadline = time.monotonic() + 15
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the ASGI server did not start")
            time.sleep(0.02)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.socket.close()


@pytest.fixture
def asgi_server(transactional_db: None) -> Iterator[AsgiServer]:
    server = AsgiServer().start()
    yield server
    server.stop()
