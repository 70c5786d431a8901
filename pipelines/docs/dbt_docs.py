"""The dbt docs site as one file that works offline: `dbt docs generate --static` on the refresh's own dbt
artifacts (the build's manifest and partial parse, `--no-compile`: nothing is compiled again), then a
Content-Security-Policy that forbids every request the page could make. dbt runs in a child process
(pipelines/docs/dbt_child.py, dbt's programmatic runner) that the dbt step starts as soon as the build is
done (start_early), so that importing dbt overlaps with the mart checks and the publish.

dbt's page is an Angular app with its JavaScript inline; it carries a usage tracker (snowplow, off when the
manifest says `send_anonymous_usage_stats: false`, as ours does) and links to public websites. The policy
keeps the inline code running and blocks the rest: no script, style, font, image or connection from
anywhere."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from pipelines.dbt_project import DBT_PROJECT_DIR, dbt_environment
from pipelines.operations.lifetime import child_environment
from pipelines.warehouse import CHILD_MARKER, WarehousePaths

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


# The child that runs `dbt docs generate`, by marts folder: start_early() starts it right after the dbt build,
# so that its import of dbt (~2.5-3 s on 2 cores) overlaps with the mart checks and the publish; generate()
# hands it the command, or starts one then.
_EARLY: dict[Path, subprocess.Popen] = {}
CHILD = Path(__file__).with_name("dbt_child.py")


def _environment(paths: WarehousePaths) -> dict[str, str]:
    return child_environment(
        {
            **os.environ,
            **dbt_environment(),  # the build file by its name, from the build folder, as dbt build opened it
            CHILD_MARKER: str(paths.marts_dir),
            "DBT_LOG_PATH": str(paths.dbt_target_dir),  # not dbt_project/logs/
        }
    )


def _spawn(paths: WarehousePaths) -> subprocess.Popen:
    """pipelines/docs/dbt_child.py in the build folder (``-P``: its own folder is not put on sys.path): it
    imports dbt, then runs the dbt command it reads on stdin. Like dbt build: its own process group and a
    parent-death signal (pipelines/operations/lifetime.py), so a killed refresh leaves no dbt behind holding
    the build file."""
    paths.build_dir.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [sys.executable, "-P", str(CHILD)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=paths.build_dir,
        env=_environment(paths),
        process_group=0,
    )


def start_early(paths: WarehousePaths) -> None:
    """Start the dictionary's dbt child now; it waits for generate() (or stop_early())."""
    stop_early(paths)
    _EARLY[paths.marts_dir] = _spawn(paths)


def stop_early(paths: WarehousePaths) -> None:
    """End a child generate() did not use (the refresh stopped before the dictionary). It has run nothing
    yet, perhaps not even finished importing dbt: killed at once rather than waited for."""
    child = _EARLY.pop(paths.marts_dir, None)
    if child is not None:
        child.kill()
        child.communicate()


def _arguments(paths: WarehousePaths, dbt_vars: str) -> list[str]:
    target = paths.dbt_target_dir
    arguments = [
        "--quiet",
        "--no-use-colors",  # what dbt says goes into an error line, without terminal colour codes
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
        arguments.insert(arguments.index("--static") + 1, "--no-compile")
    return arguments


def generate(paths: WarehousePaths, dbt_vars: str) -> Path:
    """Run `dbt docs generate --static` in the refresh's dbt target folder against the build file (identical
    to the release just published); returns the static page dbt wrote there."""
    paths.dbt_target_dir.mkdir(parents=True, exist_ok=True)
    child = _EARLY.pop(paths.marts_dir, None)
    if child is None or child.poll() is not None:  # none started early, or it died waiting
        child = _spawn(paths)
    try:
        output, _ = child.communicate(
            input=json.dumps(_arguments(paths, dbt_vars)) + "\n", timeout=TIMEOUT_SECONDS
        )
    except subprocess.TimeoutExpired:
        child.kill()
        output, _ = child.communicate()
    page = paths.dbt_target_dir / STATIC_INDEX
    if child.returncode != 0 or not page.exists():
        tail = " ".join((output or "").split())[-400:]
        raise DbtDocsError(f"dbt docs generate exited {child.returncode}: {tail}")
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
