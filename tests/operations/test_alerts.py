"""Alerts (issue 11): the alert file and log line, delivery to a webhook and a mail server on 127.0.0.1 only
when configured, and nothing sent when not."""

from __future__ import annotations

import json
import socketserver
import threading
from typing import ClassVar

from pipelines.operations import alerts
from pipelines.operations.alerts import AlertSettings, deliver, last_alert, write_alert
from pipelines.warehouse import WarehousePaths
from tests.operations.conftest import Webhook


class _Smtp(socketserver.StreamRequestHandler):
    """Just enough SMTP to accept one message; the message text lands in ``received``."""

    received: ClassVar[list[str]] = []

    def handle(self) -> None:
        self.wfile.write(b"220 test\r\n")
        data = False
        lines: list[str] = []
        for raw in self.rfile:
            line = raw.decode().rstrip("\r\n")
            if data:
                if line == ".":
                    data = False
                    _Smtp.received.append("\n".join(lines))
                    self.wfile.write(b"250 ok\r\n")
                else:
                    lines.append(line)
            elif line.upper().startswith("DATA"):
                data = True
                self.wfile.write(b"354 go\r\n")
            elif line.upper().startswith("QUIT"):
                self.wfile.write(b"221 bye\r\n")
                return
            else:
                self.wfile.write(b"250 ok\r\n")


def test_an_alert_is_a_file_a_log_line_and_a_webhook_call(tmp_path, webhook: Webhook):
    paths = WarehousePaths(tmp_path / "marts")
    file = write_alert(
        paths,
        "abcdef1234",
        ["step publish failed: disk full"],
        failed=["publish"],
        log="/x.log",
        settings=AlertSettings(webhook_url=webhook.url),
    )
    assert file.parent == paths.alerts_dir and file.name.endswith("-abcdef12.json")
    alert = json.loads(file.read_text(encoding="utf-8"))
    assert alert["reasons"] == ["step publish failed: disk full"] and alert["failed"] == ["publish"]
    assert alert["delivery"] == {"webhook": "sent"} and webhook.received[0]["reasons"] == alert["reasons"]
    assert "run abcdef12 (cli) failed: step publish failed: disk full" in paths.alerts_log.read_text()
    assert last_alert(paths)["run_id"] == "abcdef1234"


def test_alert_files_stay_bounded(tmp_path, monkeypatch):
    monkeypatch.setattr(alerts, "ALERTS_KEPT", 3)
    paths = WarehousePaths(tmp_path)
    for n in range(5):
        write_alert(paths, f"run{n}", [f"reason {n}"], settings=AlertSettings())
    kept = sorted(paths.alerts_dir.glob("*.json"))
    assert len(kept) == 3 and last_alert(paths)["run_id"] == "run4"
    assert len(paths.alerts_log.read_text().splitlines()) == 5  # the log keeps every line


def test_mail_goes_to_the_configured_server():
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _Smtp)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        settings = AlertSettings(
            smtp_host="127.0.0.1", smtp_port=server.server_address[1], email_to="it@kantor.example"
        )
        alert = {"run_id": "r1", "reasons": ["critical check failed: x"], "log": "l", "still_published": None}
        assert deliver(alert, settings) == {"email": "sent"}
    finally:
        server.shutdown()
        server.server_close()
    assert "critical check failed: x" in _Smtp.received[-1]


def test_nothing_is_sent_unless_configured(monkeypatch):
    for name in ("UMKM_ALERT_WEBHOOK", "UMKM_ALERT_SMTP_HOST", "UMKM_ALERT_EMAIL_TO"):
        monkeypatch.delenv(name, raising=False)
    assert deliver({"run_id": "r"}, AlertSettings.from_env()) == {}


def test_a_webhook_that_is_down_is_recorded_not_raised(tmp_path):
    file = write_alert(
        WarehousePaths(tmp_path), "r2", ["x"], settings=AlertSettings(webhook_url="http://127.0.0.1:9/")
    )
    assert json.loads(file.read_text())["delivery"]["webhook"].startswith("failed: ")
