"""A page rendered in the real headless Chromium (Debian package `chromium`), driven over the DevTools
protocol: what the page logged as errors, which requests it made or failed, its figure cells as the browser
shows them, and a screenshot."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.sync.client import ClientConnection, connect

from pipelines.operations.serve import stop_groups

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CELLS_JS = """JSON.stringify([...document.querySelectorAll('td[data-column]')].map(td => [
    td.closest('table').dataset.table, td.parentElement.rowIndex - 1, td.dataset.column, td.textContent,
    td.dataset.value === undefined ? null : td.dataset.value]))"""
LAYOUT_JS = """JSON.stringify({scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth, height: document.documentElement.scrollHeight,
    svgs: document.querySelectorAll('svg').length,
    lang: document.documentElement.lang, noData: document.querySelectorAll('.no-data').length})"""


@dataclass
class Rendered:
    errors: list[str] = field(default_factory=list)  # console errors, exceptions, error log entries
    requests: list[str] = field(default_factory=list)  # every URL the page asked for
    failed: list[str] = field(default_factory=list)  # requests that failed or were blocked
    cells: list[tuple[str, int, str, str, str | None]] = field(default_factory=list)
    layout: dict[str, Any] = field(default_factory=dict)
    pdf: bytes = b""  # the page printed to PDF by the browser (A4 landscape, as the page's @page asks)
    value: Any = None  # what `evaluate` returned, when given


class DevTools:
    def __init__(self, socket: ClientConnection) -> None:
        self.socket = socket
        self.next_id = 0
        self.events: list[dict] = []

    def call(self, method: str, **params: Any) -> dict:
        self.next_id += 1
        self.socket.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv(timeout=60))
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return message.get("result", {})
            self.events.append(message)

    def wait_for(self, method: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while not any(event.get("method") == method for event in self.events):
            self.events.append(json.loads(self.socket.recv(timeout=max(0.1, deadline - time.monotonic()))))


def _start(profile: Path) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",  # CI runs as root
            "--disable-gpu",
            "--no-first-run",
            "--no-default-browser-check",
            "--disable-extensions",
            # No component downloads or background requests (they also wrote into the profile as it went).
            "--disable-component-update",
            "--disable-background-networking",
            "--remote-debugging-port=0",
            f"--user-data-dir={profile}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its helpers (zygote, renderers, crashpad) share its process group
    )
    port_file = profile / "DevToolsActivePort"
    deadline = time.monotonic() + 60
    while not (port_file.exists() and len(port_file.read_text().split()) >= 2):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"{CHROMIUM} did not start (exit {process.poll()})")
        time.sleep(0.1)
    port = port_file.read_text().split()[0]
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=30) as response:
        pages = [t for t in json.load(response) if t["type"] == "page"]
    return process, pages[0]["webSocketDebuggerUrl"]


def render(
    page: Path,
    width: int = 1280,
    height: int = 900,
    screenshot: Path | None = None,
    shot_height: int = 4000,
    evaluate: str | None = None,
) -> Rendered:
    """``evaluate``: a JavaScript expression (a promise is awaited) run once the page has loaded, before the
    screenshot (a page that draws itself with script, like dbt's docs, can wait in it until it has drawn)."""
    profile = Path(tempfile.mkdtemp(prefix="umkm-chromium-"))
    try:
        process, url = _start(profile)
        try:
            with connect(url, max_size=None, open_timeout=30) as socket:
                return _load(DevTools(socket), page, width, height, screenshot, shot_height, evaluate)
        finally:
            # The browser and every helper of its group: a helper that outlived the browser for a moment
            # still wrote into the profile ("Directory not empty" removing it, seen once on a clean clone).
            stop_groups({"chromium": process}, grace=10)
    finally:
        _remove(profile)


def _remove(profile: Path, seconds: float = 10.0) -> None:
    """Remove the profile, retrying while the killed helpers' last writes land."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            shutil.rmtree(profile)
            return
        except FileNotFoundError:
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def _load(
    tools: DevTools,
    page: Path,
    width: int,
    height: int,
    screenshot: Path | None,
    shot_height: int,
    evaluate: str | None = None,
) -> Rendered:
    for domain in ("Page", "Runtime", "Log", "Network"):
        tools.call(f"{domain}.enable")
    tools.call(
        "Emulation.setDeviceMetricsOverride",
        width=width,
        height=height,
        deviceScaleFactor=1,
        mobile=width < 600,
    )
    tools.call("Page.navigate", url=page.resolve().as_uri())
    tools.wait_for("Page.loadEventFired")
    rendered = Rendered()
    if evaluate is not None:
        rendered.value = tools.call(
            "Runtime.evaluate", expression=evaluate, returnByValue=True, awaitPromise=True
        )["result"].get("value")
    rendered.cells = [tuple(c) for c in json.loads(_evaluate(tools, CELLS_JS))]
    rendered.layout = json.loads(_evaluate(tools, LAYOUT_JS))
    if screenshot:
        shot = tools.call(
            "Page.captureScreenshot",
            format="png",
            captureBeyondViewport=True,
            clip={
                "x": 0,
                "y": 0,
                "width": width,
                "height": min(rendered.layout["height"], shot_height),
                "scale": 1,
            },
        )
        screenshot.write_bytes(base64.b64decode(shot["data"]))
    printed = tools.call("Page.printToPDF", preferCSSPageSize=True, printBackground=True)
    rendered.pdf = base64.b64decode(printed["data"])
    _collect(tools.events, rendered)
    return rendered


def _evaluate(tools: DevTools, expression: str) -> str:
    return tools.call("Runtime.evaluate", expression=expression, returnByValue=True)["result"]["value"]


def _collect(events: list[dict], rendered: Rendered) -> None:
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert", "warning"):
            rendered.errors.append(
                " ".join(str(a.get("value", a.get("description"))) for a in params["args"])
            )
        elif method == "Runtime.exceptionThrown":
            rendered.errors.append(params["exceptionDetails"].get("text", "exception"))
        elif method == "Log.entryAdded" and params["entry"]["level"] in ("error", "warning"):
            rendered.errors.append(params["entry"]["text"])
        elif method == "Network.requestWillBeSent":
            rendered.requests.append(params["request"]["url"])
        elif method == "Network.loadingFailed":
            rendered.failed.append(f"{params.get('errorText')} {params.get('blockedReason', '')}".strip())
