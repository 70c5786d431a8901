"""Operations tests (issue 11): real `umkm` processes on the tiny sample (tests/safety/conftest.py helpers),
the session's one tiny refresh shared with tests/safety and tests/publish; tests that change things work on
copies."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.safety.conftest import Published


@pytest.fixture(scope="session")
def published_ops(published_tiny_run: tuple[Published, str]) -> tuple[Published, str]:
    """(the published tiny warehouse, the refresh's stdout): the session's tiny refresh (tests/conftest.py),
    the same inputs as tests/safety's (the tiny permit sample plus a 50-cooperative register)."""
    return published_tiny_run


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Webhook:
    """A local HTTP server on 127.0.0.1 that keeps the JSON bodies POSTed to it."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append(json.loads(body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *_args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/alert"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)


@pytest.fixture
def webhook() -> Iterator[Webhook]:
    hook = Webhook()
    hook.thread.start()
    yield hook
    hook.server.shutdown()
    hook.server.server_close()


def pytest_configure(config: pytest.Config) -> None:
    # Slower than about a minute (a daemon, a webserver): `-m slow` measures them, `-m "not slow"` skips.
    config.addinivalue_line("markers", "slow: slower than about a minute (real Dagster daemon/webserver)")
