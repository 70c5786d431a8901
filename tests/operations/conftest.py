"""Operations tests (issue 11): real `umkm` processes on the tiny sample (tests/safety/conftest.py helpers),
one refresh for the session; tests that change things work on copies."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.safety.conftest import Published, refresh, write_coop_register


def write_tiny_inputs(raw: Path) -> None:
    """The tiny permit sample plus a 50-cooperative register (as tests/safety)."""
    from pipelines.sample.permits import write_permit_exports

    write_permit_exports(raw / "permits", "tiny")
    write_coop_register(raw / "cooperatives" / "Data Koperasi Kota Balikpapan 2024.csv", 50)


@pytest.fixture(scope="session")
def published_ops(tmp_path_factory: pytest.TempPathFactory) -> tuple[Published, str]:
    """(the published tiny warehouse, the refresh's stdout), by one real `umkm refresh`."""
    root = tmp_path_factory.mktemp("operations_tiny")
    write_tiny_inputs(root / "raw")
    result = refresh(root / "raw", root / "marts")
    assert result.returncode == 0, result.stdout + result.stderr
    return Published(root / "raw", root / "marts"), result.stdout


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
