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

from pipelines.dbt_project import DBT_EXECUTABLE, DBT_PROJECT_DIR, dbt_environment
from pipelines.warehouse import CHILD_MARKER, WarehousePaths, die_with_parent

STATIC_INDEX = "static_index.html"
INDEX = "index.html"
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
        "--log-level-file",
        "none",  # what dbt says goes into the error, and nothing into a dbt.log that grows every refresh
    ]
    if (target / MANIFEST).exists():  # the build's manifest, compiled code included: reuse it
        command.insert(command.index("--static") + 1, "--no-compile")
    env = {
        **os.environ,
        **dbt_environment(),  # the build file by its name, from the build folder, as dbt build opened it
        CHILD_MARKER: str(paths.marts_dir),
        "DBT_LOG_PATH": str(target),  # not dbt_project/logs/
    }
    # Like dbt build: its own process group and a parent-death signal, so a killed refresh leaves no dbt
    # behind holding the build file.
    result = subprocess.run(
        command,
        cwd=paths.build_dir,
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


# dbt's page asks for files that do not exist beside it, before its script runs: a favicon named by an
# unexpanded build-time placeholder, and Angular templates whose image and icon addresses are still
# "{{ ... }}" when the browser first sees them. Angular's ng-src / ng-attr- set them once expanded (a data:
# image, an icon inside the page; SVG 2's plain href, as Angular sets attributes without a namespace), and
# the favicon becomes an empty data: one.
TEMPLATE_FIXES = (
    (re.compile(r'<link rel="shortcut icon" href="[^"]*"\s*/?>'), '<link rel="icon" href="data:,">'),
    (re.compile(r'(?<=\s)xlink:href="\{\{'), 'ng-attr-href="{{'),
    (re.compile(r'(?<=\s)src="\{\{'), 'ng-src="{{'),
)


def offline(html: str) -> str:
    """dbt's static page with a Content-Security-Policy as the first thing in <head> (the browser then
    refuses every request the page, or a manifest description, could make, whatever URL it names) and its
    templates' placeholder addresses bound by Angular instead of fetched as files."""
    head = re.search(r"<head[^>]*>", html, flags=re.IGNORECASE)
    if head is None:
        raise DbtDocsError("dbt's static docs page has no <head>: cannot make it offline")
    html = html[: head.end()] + CSP_META + html[head.end() :]
    for pattern, replacement in TEMPLATE_FIXES:
        html = pattern.sub(replacement, html)
    return html


def write_offline(page: Path, out: Path) -> Path:
    """The static page, made offline, written beside the dictionary (atomically: a reader never sees half).
    dbt's own copies in the target folder (static_index.html, index.html: 6 MB) are removed."""
    text = offline(page.read_text(encoding="utf-8"))
    partial = out.with_name(out.name + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, out)
    page.unlink()
    page.with_name(INDEX).unlink(missing_ok=True)
    return out
