"""Readable runs (issue 11): failure lines first and tracebacks only in the log, the log written from the
first line, dbt progress every few seconds, `umkm query | head` ending quietly."""

from __future__ import annotations

import itertools
import json
import logging
import re
import subprocess
import sys
import time
from types import SimpleNamespace

from pipelines.assets.dbt import DbtProgress
from tests.operations.conftest import Webhook
from tests.safety.conftest import ENV, REPO, refresh, status_json, umkm


def test_a_failed_refresh_is_readable_logged_from_its_first_line_and_alerted(tmp_path, webhook: Webhook):
    raw, marts = tmp_path / "raw", tmp_path / "marts"
    (raw / "permits").mkdir(parents=True)
    (raw / "permits" / "notes.csv").write_text("apa,ini\n1,2\n", encoding="utf-8")  # recognised by nothing
    result = refresh(raw, marts, env={"UMKM_ALERT_WEBHOOK": webhook.url})
    assert result.returncode == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines and all(line.startswith("umkm: ") for line in lines), result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert "refused to publish" in lines[0]
    log = next((marts / "logs").glob("refresh-*.log")).read_text(encoding="utf-8").splitlines()
    assert "refresh         Kota Balikpapan" in log[0]  # the run's first line is in the log
    alerts = sorted((marts / "alerts").glob("*.json"))
    assert len(alerts) == 1
    alert = json.loads(alerts[0].read_text(encoding="utf-8"))
    assert "refused to publish" in alert["reasons"][0]
    assert alert["log"].endswith(".log") and alert["still_published"] is None
    assert alert["delivery"] == {"webhook": "sent"}
    assert webhook.received and webhook.received[0]["run_id"] == alert["run_id"]
    assert alert["run_id"][:8] in (marts / "alerts" / "alerts.log").read_text(encoding="utf-8")
    assert status_json(marts)["last_alert"]["run_id"] == alert["run_id"]
    shown = umkm("status", "--marts-dir", str(marts)).stdout
    assert f"Last alert     {alert['at']} run {alert['run_id'][:8]}: refused to publish" in shown


def test_the_refresh_prints_dbt_progress_every_few_seconds(published_ops):
    _, stdout = published_ops
    stamps = [
        (float(m.group(1)), line)
        for line in stdout.splitlines()
        if (m := re.match(r"\[\s*([\d.]+)s\] dbt build", line))
    ]
    progress = [line for _, line in stamps if "seeds and models done" in line]
    assert progress, stdout
    assert re.search(r"\d+ / \d+ seeds and models done, slowest so far \S+ [\d.]+s", progress[-1])
    gaps = [b - a for (a, _), (b, _) in itertools.pairwise(stamps)]
    assert max(gaps) < 15, stamps  # every 3 s, with room for a loaded test machine


def test_dbt_progress_names_the_slowest_model(caplog):
    def event(name: str, seconds: float):
        return SimpleNamespace(
            asset_key=SimpleNamespace(path=["marts", name]), metadata={"Execution Duration": seconds}
        )

    with caplog.at_level(logging.INFO, logger="umkm"), DbtProgress(total=3, every=0.05) as progress:
        progress.done(event("stg_a", 0.5))
        progress.done(event("fct_b", 7.25))
        time.sleep(0.2)
    assert progress.built == 2
    assert "2 / 3 seeds and models done, slowest so far fct_b 7.2s" in caplog.text


def test_query_and_status_into_head_end_quietly(published_ops):
    published, _ = published_ops
    umkm_command = f"{sys.executable} -m pipelines.cli"
    for command, first in [
        (f"query --marts-dir {published.marts} 'SELECT * FROM range(200000)' | head -n 2", ["range", "0"]),
        (f"status --marts-dir {published.marts} | head -n 1", None),
    ]:
        result = subprocess.run(
            ["bash", "-o", "pipefail", "-c", f"{umkm_command} {command}"],
            cwd=REPO,
            env=ENV,
            capture_output=True,
            text=True,
        )
        assert first is None or result.stdout.splitlines() == first
        assert result.stderr == "", result.stderr
        assert result.returncode == 0
