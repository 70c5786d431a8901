"""The data dictionary as one Indonesian page, in HTML (self-contained: inline CSS, no script, a
Content-Security-Policy that forbids every request; readable on a phone, printable) and in Markdown.

Per mart: its label, what a row is, an example query, then every column with its type, Indonesian label,
meaning and values. Whatever the .yml does not say yet is shown as missing, never invented."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape

from pipelines.docs.catalog import SUBJECTS, ColumnDoc, TableDoc

MISSING = "belum dijelaskan"
MISSING_LABEL = "belum ada label"
GENERIC_QUERY_NOTE = "Contoh kueri (umum: model ini belum punya contoh sendiri)"
TITLE = "Kamus Data Gudang Data UMKM dan Koperasi"
INTRO_MD = (
    "Setiap tabel mart (skema `marts`) dan setiap kolomnya: label dalam bahasa Indonesia, arti (dalam bahasa "
    "Inggris, dari dokumentasi model dbt), nilai yang mungkin untuk kolom kode, dan contoh kueri. Kolom kode "
    "(misalnya `jenis`, `scale`, `kbli_category`) dipakai untuk filter dan join; kolom `<kode>_label` di "
    'sebelahnya berisi teks yang dibaca orang. Jalankan contoh dengan `.venv/bin/umkm query "..."` atau buka '
    "`warehouse.duckdb` hanya-baca dari klien DuckDB."
)
# The same text in the page, with its `code` spans as <code>.
INTRO_HTML = re.sub(r"`([^`]+)`", lambda m: f"<code>{m[1]}</code>", escape(INTRO_MD, quote=False))
HEADERS = ("Kolom", "Tipe", "Label", "Arti", "Nilai")
HEADER_CLASSES = ("column", "type", "label", "meaning", "values")
CSP = "default-src 'none'; style-src 'unsafe-inline'"
CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
       margin: 0 auto; max-width: 1200px; padding: 1rem; color: #222; line-height: 1.4; }
h1 { color: #1F4E79; font-size: 1.5rem; margin: 0 0 .25rem; }
.meta, .note { color: #555; font-size: .9rem; }
nav { margin: 1rem 0; font-size: .9rem; display: grid; gap: .2rem 1rem;
      grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); } nav a { color: #1F4E79; }
nav h2 { font-size: .95rem; margin: .3rem 0; padding: 0; border: 0; }
nav ul { margin: 0 0 .5rem; padding-left: 1.2rem; }
h2 { color: #1F4E79; border-bottom: 2px solid #DDEBF7; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.1rem; margin: 1.6rem 0 .2rem; } h3 code { color: #1F4E79; }
.label { font-weight: 600; }
pre { background: #F4F7FB; border: 1px solid #DDEBF7; padding: .5rem; overflow-x: auto; font-size: .8rem;
      white-space: pre-wrap; word-break: break-word; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; font-size: .82rem; width: 100%; }
th, td { border: 1px solid #C9C9C9; padding: .25rem .45rem; vertical-align: top; text-align: left; }
th { background: #DDEBF7; }
th.label { width: 16%; } th.meaning { width: 44%; } th.values { width: 20%; }
td.col { white-space: nowrap; font-family: ui-monospace, "DejaVu Sans Mono", monospace; }
td.type { color: #555; white-space: nowrap; font-size: .75rem; }
.missing { color: #A05A00; font-style: italic; }
ul.values { margin: 0; padding-left: 1rem; }
@media print { nav { display: none; } body { max-width: none; padding: 0; font-size: 9pt; }
  h3 { break-after: avoid; } .scroll { overflow: visible; } tr { break-inside: avoid; } }
@page { size: A4 landscape; margin: 12mm; }
"""


@dataclass(frozen=True)
class Context:
    region: str  # "Kota Balikpapan (64.71)"
    built_at: str  # when the published warehouse was built
    run_id: str


def _subject_title(subject: str) -> str:
    return SUBJECTS.get(subject, "Lainnya")


def _by_subject(tables: list[TableDoc]) -> list[tuple[str, list[TableDoc]]]:
    groups: dict[str, list[TableDoc]] = {}
    for table in tables:
        groups.setdefault(table.subject, []).append(table)
    return list(groups.items())


def default_query(table: TableDoc) -> str:
    return f"SELECT * FROM {table.relation} LIMIT 10"


# ---- HTML ------------------------------------------------------------------------------------------------


def _missing(text: str) -> str:
    return f'<span class="missing">{escape(text)}</span>'


def _text(text: str | None, missing: str) -> str:
    return escape(text) if text else _missing(missing)


def _values_html(column: ColumnDoc) -> str:
    if not column.values:
        return ""
    items = "".join(
        f"<li><code>{escape(value)}</code>{' = ' + escape(label) if label else ''}</li>"
        for value, label in column.values
    )
    return f'<ul class="values">{items}</ul>'


def _column_row(table: TableDoc, column: ColumnDoc) -> str:
    cells = [
        f'<td class="col" data-column="kolom">{escape(column.name)}</td>',
        f'<td class="type">{escape(column.data_type or "")}</td>',
        f'<td data-column="label">{_text(column.label, MISSING_LABEL)}</td>',
        f'<td data-column="arti">{_text(column.description, MISSING)}</td>',
        f'<td data-column="nilai">{_values_html(column)}</td>',
    ]
    return f'<tr data-table="{escape(table.relation)}">{"".join(cells)}</tr>'


def _table_html(table: TableDoc) -> str:
    anchor = f"t-{table.name}"
    label = escape(table.label) if table.label else _missing(MISSING_LABEL)
    parts = [
        f'<section id="{anchor}" data-relation="{escape(table.relation)}">',
        f'<h3><code>{escape(table.relation)}</code> &mdash; <span class="label">{label}</span></h3>',
        f"<p>{escape(table.description) if table.description else _missing(MISSING)}</p>",
    ]
    if table.example_query:
        parts.append(f'<p class="note">Contoh kueri:</p><pre>{escape(table.example_query)}</pre>')
    else:
        parts.append(f'<p class="note">{GENERIC_QUERY_NOTE}:</p><pre>{escape(default_query(table))}</pre>')
    head = "".join(
        f'<th scope="col" class="{c}">{h}</th>' for h, c in zip(HEADERS, HEADER_CLASSES, strict=True)
    )
    rows = "".join(_column_row(table, c) for c in table.columns)
    parts.append(
        f'<div class="scroll"><table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table></div>'
    )
    parts.append("</section>")
    return "".join(parts)


def _nav(groups: list[tuple[str, list[TableDoc]]]) -> str:
    parts = ["<nav>"]
    for subject, tables in groups:
        links = "".join(
            f'<li><a href="#t-{escape(t.name)}">{escape(t.name)}</a>'
            f"{' &mdash; ' + escape(t.label) if t.label else ''}</li>"
            for t in tables
        )
        parts.append(f"<div><h2>{escape(_subject_title(subject))}</h2><ul>{links}</ul></div>")
    parts.append("</nav>")
    return "".join(parts)


def to_html(tables: list[TableDoc], context: Context) -> str:
    groups = _by_subject(tables)
    columns = sum(len(t.columns) for t in tables)
    described = sum(1 for t in tables for c in t.columns if c.description)
    body = [
        f"<header><h1>{escape(TITLE)}</h1>",
        f'<p class="meta">{escape(context.region)} &middot; dibangun {escape(context.built_at)} &middot; '
        f"run {escape(context.run_id)} &middot; {len(tables)} tabel, {columns} kolom "
        f"({described} berpenjelasan)</p></header>",
        f"<p>{INTRO_HTML}</p>",
        _nav(groups),
    ]
    for subject, subject_tables in groups:
        body.append(f"<h2>{escape(_subject_title(subject))}</h2>")
        body += [_table_html(t) for t in subject_tables]
    return (
        '<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(TITLE)}</title><style>{CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )


# ---- Markdown --------------------------------------------------------------------------------------------


def _cell(text: str | None) -> str:
    """One Markdown table cell: no line breaks, pipes escaped."""
    return " ".join((text or "").split()).replace("|", "\\|")


def _values_md(column: ColumnDoc) -> str:
    return "; ".join(f"`{value}`" + (f" = {label}" if label else "") for value, label in column.values)


def to_markdown(tables: list[TableDoc], context: Context) -> str:
    lines = [
        f"# {TITLE}",
        "",
        f"{context.region} · dibangun {context.built_at} · run {context.run_id} · {len(tables)} tabel, "
        f"{sum(len(t.columns) for t in tables)} kolom",
        "",
        INTRO_MD,
        "",
    ]
    for subject, subject_tables in _by_subject(tables):
        lines += [f"## {_subject_title(subject)}", ""]
        for table in subject_tables:
            label = table.label or f"_{MISSING_LABEL}_"
            lines += [f"### `{table.relation}` — {label}", "", table.description or f"_{MISSING}_", ""]
            query = table.example_query or default_query(table)
            note = "Contoh kueri:" if table.example_query else f"{GENERIC_QUERY_NOTE}:"
            lines += [note, "", "```sql", query, "```", ""]
            lines += ["| " + " | ".join(HEADERS) + " |", "|" + "---|" * len(HEADERS)]
            for column in table.columns:
                cells = [
                    f"`{column.name}`",
                    _cell(column.data_type),
                    _cell(column.label) or f"_{MISSING_LABEL}_",
                    _cell(column.description) or f"_{MISSING}_",
                    _cell(_values_md(column)),
                ]
                lines.append("| " + " | ".join(cells) + " |")
            lines.append("")
    return "\n".join(lines)
