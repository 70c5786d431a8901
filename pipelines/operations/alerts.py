"""Failure alerts: a JSON file per failed run and a line in the alerts log (``WarehousePaths.alerts_dir``),
written by the CLI and by the run-failure sensor; optionally sent to a webhook or by e-mail.

Nothing here calls the network unless configured: UMKM_ALERT_WEBHOOK (a URL that receives the alert as a JSON
POST), UMKM_ALERT_SMTP_HOST (+ UMKM_ALERT_SMTP_PORT, default 25, UMKM_ALERT_EMAIL_TO, UMKM_ALERT_EMAIL_FROM).
A failed delivery is recorded in the alert file and the alerts log; it never fails the caller.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import smtplib
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from pipelines.warehouse import WarehousePaths, prune_files

DELIVERY_TIMEOUT_SECONDS = 10.0
# Disk stays bounded (docs/security.md): alert files beyond the newest ALERTS_KEPT or older than
# ALERTS_KEPT_DAYS are removed when a new one is written; the one-line alerts log keeps the history.
ALERTS_KEPT = 100
ALERTS_KEPT_DAYS = 90.0


@dataclass(frozen=True)
class AlertSettings:
    webhook_url: str | None = None
    smtp_host: str | None = None
    smtp_port: int = 25
    email_to: str | None = None
    email_from: str = "umkm-warehouse@localhost"

    @classmethod
    def from_env(cls) -> AlertSettings:
        return cls(
            webhook_url=os.environ.get("UMKM_ALERT_WEBHOOK") or None,
            smtp_host=os.environ.get("UMKM_ALERT_SMTP_HOST") or None,
            smtp_port=int(os.environ.get("UMKM_ALERT_SMTP_PORT") or 25),
            email_to=os.environ.get("UMKM_ALERT_EMAIL_TO") or None,
            email_from=os.environ.get("UMKM_ALERT_EMAIL_FROM") or "umkm-warehouse@localhost",
        )


def published_release(paths: WarehousePaths) -> str | None:
    return paths.published.resolve().name if paths.published.exists() else None


def write_alert(
    paths: WarehousePaths,
    run_id: str,
    reasons: list[str],
    *,
    failed: list[str] | None = None,
    log: str | None = None,
    source: str = "cli",
    settings: AlertSettings | None = None,
) -> Path:
    """Write alerts/<utc>-<run>.json and one alerts-log line, then deliver it where configured."""
    at = dt.datetime.now(dt.UTC)
    alert: dict[str, Any] = {
        "at": at.isoformat(timespec="seconds"),
        "run_id": run_id,
        "source": source,
        "failed": failed or [],
        "reasons": reasons,
        "log": log,
        "still_published": published_release(paths),
        "marts_dir": str(paths.marts_dir),
    }
    alert["delivery"] = deliver(alert, settings or AlertSettings.from_env())
    paths.alerts_dir.mkdir(parents=True, exist_ok=True)
    file = paths.alert_file(at, run_id)
    partial = file.with_suffix(".partial")
    partial.write_text(json.dumps(alert, indent=2, ensure_ascii=False), encoding="utf-8")
    os.replace(partial, file)  # a reader (umkm status) never sees half an alert
    prune_files(list(paths.alerts_dir.glob("*.json")), ALERTS_KEPT, ALERTS_KEPT_DAYS)
    first = reasons[0] if reasons else "no reason recorded"
    with paths.alerts_log.open("a", encoding="utf-8") as handle:
        handle.write(f"{alert['at']} run {run_id[:8]} ({source}) failed: {first} [{file.name}]\n")
    return file


def deliver(alert: dict[str, Any], settings: AlertSettings) -> dict[str, str]:
    """Send to the configured webhook and mail server; returns what happened to each (sent / its error)."""
    outcome: dict[str, str] = {}
    if settings.webhook_url:
        outcome["webhook"] = _attempt(lambda: _post(settings.webhook_url, alert))
    if settings.smtp_host and settings.email_to:
        outcome["email"] = _attempt(lambda: _mail(settings, alert))
    return outcome


def _attempt(send) -> str:
    try:
        send()
    except Exception as error:  # a mail server or webhook that is down must not hide the alert file
        return f"failed: {type(error).__name__}: {error}"
    return "sent"


def _post(url: str, alert: dict[str, Any]) -> None:
    request = urllib.request.Request(
        url,
        data=json.dumps(alert, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=DELIVERY_TIMEOUT_SECONDS) as response:
        response.read()


def _mail(settings: AlertSettings, alert: dict[str, Any]) -> None:
    message = EmailMessage()
    message["Subject"] = f"UMKM warehouse: refresh {alert['run_id'][:8]} failed"
    message["From"] = settings.email_from
    message["To"] = settings.email_to
    message.set_content(
        "\n".join(
            [*alert["reasons"], "", f"log: {alert['log']}", f"still published: {alert['still_published']}"]
        )
    )
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=DELIVERY_TIMEOUT_SECONDS) as smtp:
        smtp.send_message(message)


def last_alert(paths: WarehousePaths) -> dict[str, Any] | None:
    """The newest alert file's content, with its path (None when no run has failed)."""
    if not paths.alerts_dir.is_dir():
        return None
    for file in sorted(paths.alerts_dir.glob("*.json"), reverse=True):
        try:
            return {**json.loads(file.read_text(encoding="utf-8")), "file": str(file)}
        except (OSError, ValueError):
            continue
    return None
