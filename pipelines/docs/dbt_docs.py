"""The dbt docs site as one file that works offline: `dbt docs generate --static` on the refresh's own dbt
artifacts (the build's manifest and partial parse, `--no-compile`: nothing is compiled again), then a
Content-Security-Policy that forbids every request the page could make.

dbt's page is an Angular app with its JavaScript inline; it carries a usage tracker (snowplow, off when the
manifest says `send_anonymous_usage_stats: false`, as ours does) and links to public websites. The policy
keeps the inline code running and blocks the rest: no script, style, font, image or connection from
anywhere."""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

from pipelines.dbt_project import DBT_EXECUTABLE, DBT_PROJECT_DIR
from pipelines.warehouse import CHILD_MARKER, WarehousePaths, die_with_parent

STATIC_INDEX = "static_index.html"
CATALOG = "catalog.json"
MANIFEST = "manifest.json"
# Inline scripts and styles only (dbt's page is one file); data: images and fonts; nothing over a network.
CSP = (
    "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; connect-src 'none'; frame-src 'none'; base-uri 'none'; "
    "form-action 'none'"
)
CSP_META = f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
# Generating the docs reads the build's catalog: a minute at most even on a busy machine.
TIMEOUT_SECONDS = 600


class DbtDocsError(RuntimeError):
    pass


def generate(paths: WarehousePaths, dbt_vars: str) -> Path:
    """Run `dbt docs generate --static` in the refresh's dbt target folder against the build file (identical
    to the release just published); returns the static page dbt wrote there."""
    target = paths.dbt_target_dir
    target.mkdir(parents=True, exist_ok=True)
    command = [
        DBT_EXECUTABLE,
        "--quiet",
        "docs",
        "generate",
        "--static",
        "--target-path",
        str(target),
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--vars",
        dbt_vars,
    ]
    if (target / MANIFEST).exists():  # the build's manifest, compiled code included: reuse it
        command.insert(command.index("--static") + 1, "--no-compile")
    env = {
        **os.environ,
        "UMKM_WAREHOUSE_PATH": str(paths.build_file),
        CHILD_MARKER: str(paths.marts_dir),
        "DBT_LOG_PATH": str(target),
        "DO_NOT_TRACK": "1",
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "False",
    }
    # Like dbt build: its own process group and a parent-death signal, so a killed refresh leaves no dbt
    # behind holding the build file.
    result = subprocess.run(
        command,
        cwd=DBT_PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_SECONDS,
        preexec_fn=die_with_parent,
    )
    page = target / STATIC_INDEX
    if result.returncode != 0 or not page.exists():
        tail = " ".join((result.stdout + result.stderr).split())[-400:]
        raise DbtDocsError(f"dbt docs generate exited {result.returncode}: {tail}")
    return page


URL = re.compile(r"https?://[^\s\"'<>)\\]+")


def external_urls(html: str) -> list[str]:
    """Every http(s) URL written in the page (most are inert: licence comments, links in help text)."""
    return URL.findall(html)


def offline(html: str) -> str:
    """dbt's static page with a Content-Security-Policy as the first thing in <head>: the browser then
    refuses every request the page (or a manifest description) could make, whatever URL it names."""
    head = re.search(r"<head[^>]*>", html, flags=re.IGNORECASE)
    if head is None:
        raise DbtDocsError("dbt's static docs page has no <head>: cannot make it offline")
    return html[: head.end()] + CSP_META + html[head.end() :]


def write_offline(page: Path, out: Path) -> Path:
    """The static page, made offline, written beside the dictionary (atomically: a reader never sees half)."""
    text = offline(page.read_text(encoding="utf-8"))
    partial = out.with_name(out.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, out)
    return out
