"""Great Expectations Data Docs (HTML) for the gate's results, written to ``WarehousePaths.docs_dir``.

Each suite's result becomes a GE 1.x ``ExpectationSuiteValidationResult`` and is rendered by GE's own
``ValidationResultsPageRenderer`` + ``DefaultJinjaPageView`` (a page per suite, ``validations/<suite>.html``).
GE's templates load Bootstrap, jQuery, Vega and fonts from CDNs; offices run this without internet, so every
external ``<link>``/``<script>``/image is removed and a small inline stylesheet is added instead: the pages
render completely offline. GE's own site index is filled by JavaScript from a CDN, so ``index.html`` is a
plain static page (suites, status, failed expectations, links), in Indonesian for staff.

Pure rendering: the child process that calls it (GE imports cost seconds) is
pipelines/quality/docs_process.py.
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
from collections.abc import Mapping, Sequence
from functools import cache
from pathlib import Path
from typing import Any

from pipelines.settings import TIMEZONE

_SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>", re.IGNORECASE | re.DOTALL)
_EXTERNAL_LINK = re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']https?://[^>]*>""", re.IGNORECASE | re.DOTALL)
_EXTERNAL_IMG = re.compile(r"""<img\b[^>]*\bsrc\s*=\s*["']https?://[^>]*>""", re.IGNORECASE | re.DOTALL)
_EXTERNAL_ATTR = re.compile(r"""(\b(?:src|href)\s*=\s*["'])https?://[^"']*(["'])""", re.IGNORECASE)

OFFLINE_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:0;color:#212529;
 background:#fff;font-size:14px;line-height:1.45}
.container-fluid{padding:1rem 2rem}.row{display:flex;flex-wrap:wrap}.col-md-2{flex:0 0 16%;max-width:16%}
.col-md-10,.col-lg-10{flex:1 1 80%}.col-12{width:100%}
nav,.navbar{background:#2c3e50;color:#fff;padding:.6rem 2rem}nav a,.navbar a{color:#fff}
.card{border:1px solid #dee2e6;border-radius:6px;margin:0 0 1rem 0;padding:.5rem 1rem}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #dee2e6;padding:.3rem .5rem;
 text-align:left;vertical-align:top}th{background:#f1f3f5}
.text-success,.fa-check-circle{color:#198754}.text-danger,.fa-times{color:#dc3545}.text-warning{color:#b8860b}
.badge{display:inline-block;padding:.1rem .45rem;border-radius:4px;font-size:12px;color:#fff;
 background:#6c757d}
.badge-critical{background:#dc3545}.badge-warning{background:#b8860b}.badge-ok{background:#198754}
code,pre{background:#f6f8fa;padding:0 .2rem;border-radius:3px}.collapse{display:block}
img{max-height:40px}.modal,.ge-walkthrough-modal,.hide-offline{display:none}
"""


def render_offline(page: str) -> str:
    """Make a GE page self-contained: no scripts (GE's inline ones need jQuery from a CDN), no external
    stylesheets or images, no outbound links; a small inline stylesheet instead."""
    page = _SCRIPT.sub("", page)
    page = _EXTERNAL_LINK.sub("", page)
    page = _EXTERNAL_IMG.sub("", page)
    page = _EXTERNAL_ATTR.sub(r"\1#\2", page)
    return page.replace("</head>", f"<style>{OFFLINE_CSS}</style>\n</head>", 1)


def external_references(page: str) -> list[str]:
    """Every http(s) URL a page still references in an attribute (none after render_offline)."""
    return re.findall(r"""\b(?:src|href)\s*=\s*["'](https?://[^"']+)""", page, re.IGNORECASE)


# ---- GE validation results -----------------------------------------------------------------------------


def _evr(expectation: Mapping[str, Any], gx_types: Any) -> Any:
    ExpectationConfiguration, ExpectationValidationResult = gx_types
    kwargs = dict(expectation["kwargs"])
    config = ExpectationConfiguration(
        type=expectation["type"],
        kwargs=kwargs,
        meta={"severity": expectation["severity"]},
        notes=expectation.get("notes"),
    )
    samples = expectation.get("samples") or []
    columns = [c for c in (kwargs.get("column"), kwargs.get("column_A")) if c]
    result: dict[str, Any] = {}
    if expectation.get("element_count") is not None:
        result["element_count"] = expectation["element_count"]
    if expectation.get("unexpected_count") is not None:
        domain = (expectation["element_count"] or 0) - (expectation.get("missing_count") or 0)
        result |= {
            "missing_count": expectation.get("missing_count"),
            "unexpected_count": expectation["unexpected_count"],
            "unexpected_percent": expectation.get("unexpected_percent"),
            "unexpected_percent_nonmissing": expectation.get("unexpected_percent"),
            "missing_percent": (
                100.0 * (expectation.get("missing_count") or 0) / expectation["element_count"]
            )
            if expectation["element_count"]
            else None,
            "partial_unexpected_list": [s.get(columns[0]) for s in samples if columns and columns[0] in s]
            if domain
            else [],
            "partial_unexpected_index_list": samples,
        }
    if expectation.get("observed_value") is not None:
        result["observed_value"] = expectation["observed_value"]
    exception_info = {"raised_exception": False, "exception_message": None, "exception_traceback": None}
    if expectation.get("error"):
        exception_info = {
            "raised_exception": True,
            "exception_message": expectation["error"],
            "exception_traceback": None,
        }
    return ExpectationValidationResult(
        success=expectation["success"],
        expectation_config=config,
        result=result,
        exception_info=exception_info,
    )


def to_ge_result(suite_result: Mapping[str, Any], run_id: str) -> Any:
    """Our stored suite result (runner.result_to_dict) as a GE 1.x ExpectationSuiteValidationResult."""
    from great_expectations.core.expectation_validation_result import (
        ExpectationSuiteValidationResult,
        ExpectationValidationResult,
    )
    from great_expectations.expectations.expectation_configuration import ExpectationConfiguration

    types = (ExpectationConfiguration, ExpectationValidationResult)
    results = [_evr(e, types) for e in suite_result["expectations"]]
    evaluated = len(results)
    successful = sum(1 for r in results if r.success)
    return ExpectationSuiteValidationResult(
        success=suite_result["success"],
        results=results,
        suite_name=suite_result["suite"],
        statistics={
            "evaluated_expectations": evaluated,
            "successful_expectations": successful,
            "unsuccessful_expectations": evaluated - successful,
            "success_percent": 100.0 * successful / evaluated if evaluated else None,
        },
        meta={
            "run_id": {"run_name": run_id, "run_time": suite_result["checked_at"]},
            "batch_spec": {"relation": suite_result["relation"], "engine": "duckdb (SQL gate)"},
            "active_batch_definition": {
                "datasource_name": "warehouse",
                "data_asset_name": suite_result["relation"],
            },
            "great_expectations_version": _ge_version(),
            "suite_parameters": suite_result.get("parameters", {}),
        },
    )


def _ge_version() -> str:
    import great_expectations

    return great_expectations.__version__


@cache
def _page_view() -> Any:
    """One GE page view per process: each view has its own jinja Environment, which compiles GE's templates
    the first time it renders them (about a third of a refresh's Data Docs CPU when every page had a new
    view). The view keeps nothing of a page between renders."""
    from great_expectations.render.view import DefaultJinjaPageView

    return DefaultJinjaPageView()


def render_validation_page(suite_result: Mapping[str, Any], run_id: str) -> str:
    from great_expectations.render.renderer import ValidationResultsPageRenderer

    document = ValidationResultsPageRenderer().render(to_ge_result(suite_result, run_id))
    page = _page_view().render(document)
    marker = '<div class="col-md-10 col-lg-10 col-xs-12 pl-md-4 pr-md-3">'
    page = page.replace(marker, marker + render_rules_table(suite_result), 1)
    return render_offline(page)


def render_rules_table(suite_result: Mapping[str, Any]) -> str:
    """Above GE's sections: every rule with its severity and Indonesian note, and the rows that broke it."""
    esc = html.escape
    rows = []
    for e in suite_result["expectations"]:
        status = "lolos" if e["success"] else ("GAGAL" if e["severity"] == "critical" else "peringatan")
        where = "<br>".join(esc(line.strip()) for line in e.get("messages", [])[1:])
        badge = "ok" if e["success"] else e["severity"]
        rows.append(
            f"<tr><td><span class='badge badge-{badge}'>{status}</span></td><td>{esc(e['severity'])}</td>"
            f"<td><code>{esc(e['type'])}</code> {esc(', '.join(_columns(e)))}</td>"
            f"<td>{esc(e.get('notes') or '')}</td><td>{esc(_failure_text(e)) if not e['success'] else ''}"
            f"{'<br>' + where if where else ''}</td></tr>"
        )
    return (
        f"<div class='card'><h3>Aturan {esc(suite_result['suite'])}</h3>"
        "<p>Kritis (critical) = menahan publikasi; peringatan (warning) = dilaporkan saja.</p>"
        "<table><thead><tr><th>Status</th><th>Tingkat</th><th>Aturan (GE)</th><th>Keterangan</th>"
        f"<th>Baris yang gagal (berkas, baris, kolom, nilai)</th></tr></thead><tbody>{''.join(rows)}"
        "</tbody></table></div>"
    )


# ---- the site ------------------------------------------------------------------------------------------


def page_name(suite: str) -> str:
    return f"validations/{re.sub(r'[^A-Za-z0-9_.-]', '_', suite)}.html"


def write_data_docs(
    docs_dir: Path,
    run_id: str,
    results: Sequence[Mapping[str, Any]],
    pending: Sequence[str] = (),
    rendered: set[str] | None = None,
) -> Path:
    """Render the suites' pages (all, or only ``rendered``) and rewrite the index. Returns index.html."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    (docs_dir / "validations").mkdir(parents=True, exist_ok=True)
    for result in results:
        if rendered is None or result["suite"] in rendered:
            _atomic_write(docs_dir / page_name(result["suite"]), render_validation_page(result, run_id))
    index = docs_dir / "index.html"
    _atomic_write(index, render_index(run_id, results, pending))
    return index


def _atomic_write(path: Path, text: str) -> None:
    partial = path.with_suffix(path.suffix + ".partial")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def _status(result: Mapping[str, Any]) -> tuple[str, str]:
    if result["success"]:
        return "ok", "lolos"
    if result["blocking"]:
        return "critical", "gagal (kritis: publikasi ditahan)"
    return "warning", "peringatan"


def render_index(run_id: str, results: Sequence[Mapping[str, Any]], pending: Sequence[str] = ()) -> str:
    esc = html.escape
    failed_critical = sum(
        1 for r in results for e in r["expectations"] if not e["success"] and e["severity"] == "critical"
    )
    failed_warning = sum(
        1 for r in results for e in r["expectations"] if not e["success"] and e["severity"] == "warning"
    )
    passed = sum(1 for r in results for e in r["expectations"] if e["success"])
    rows = []
    for result in sorted(results, key=lambda r: (r["layer"] != "raw", r["suite"])):
        css, label = _status(result)
        failures = "".join(
            f"<li><span class='badge badge-{e['severity']}'>{esc(e['severity'])}</span> "
            f"<code>{esc(e['type'])}</code> {esc(', '.join(_columns(e)))}: "
            f"{esc(_failure_text(e))}{(' — ' + esc(e['notes'])) if e.get('notes') else ''}</li>"
            for e in result["expectations"]
            if not e["success"]
        )
        suite_passed = sum(1 for e in result["expectations"] if e["success"])
        rows.append(
            f"<tr><td><a href='{esc(page_name(result['suite']))}'>{esc(result['suite'])}</a></td>"
            f"<td><span class='badge badge-{css}'>{esc(label)}</span></td>"
            f"<td>{suite_passed} / {len(result['expectations'])}</td>"
            f"<td><ul>{failures}</ul></td></tr>"
        )
    for suite in pending:
        rows.append(
            f"<tr><td>{esc(suite)}</td><td><span class='badge'>belum diperiksa</span></td><td>-</td>"
            "<td>tidak dijalankan: langkah sebelumnya gagal</td></tr>"
        )
    generated = dt.datetime.now(TIMEZONE).isoformat(timespec="seconds")
    return f"""<!DOCTYPE html>
<html lang="id"><head><meta charset="utf-8"><title>Data Docs: pemeriksaan kualitas data</title>
<meta name="viewport" content="width=device-width, initial-scale=1.0"><style>{OFFLINE_CSS}</style></head>
<body><nav>Data Docs (Great Expectations) — pemeriksaan kualitas data gudang UMKM &amp; koperasi</nav>
<div class="container-fluid">
<p>Run <code>{esc(run_id)}</code>, dibuat {esc(generated)}.
Aturan: <b>{passed}</b> lolos, <b>{failed_critical}</b> gagal kritis (menahan publikasi),
<b>{failed_warning}</b> peringatan. Celah data per baris: tabel <code>marts.data_quality_gaps</code>.</p>
<table><thead><tr><th>Suite (tabel)</th><th>Status</th><th>Aturan lolos</th><th>Yang gagal</th></tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody></table></div></body></html>
"""


def _columns(expectation: Mapping[str, Any]) -> list[str]:
    kw = expectation["kwargs"]
    return [
        c for c in (kw.get("column"), kw.get("column_A"), kw.get("column_B"), *kw.get("column_list", [])) if c
    ]


def _failure_text(expectation: Mapping[str, Any]) -> str:
    if expectation.get("error"):
        return str(expectation["error"])
    if expectation.get("unexpected_count") is not None:
        return f"{expectation['unexpected_count']:,} dari {expectation['element_count']:,} baris"
    return f"teramati {expectation.get('observed_value')}"
