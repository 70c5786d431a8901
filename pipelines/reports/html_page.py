"""The HTML report: one self-contained page per period (inline CSS and SVG, system fonts, no script, a
Content-Security-Policy that forbids every request), Indonesian, readable on a phone (tables scroll
sideways) and printable to PDF from the browser.

Every figure cell carries data-table / data-column attributes and its exact value in data-value, so a test can
compare what the browser shows with SQL on the marts."""

from __future__ import annotations

import datetime as dt
from html import escape
from pathlib import Path
from typing import Any

from pipelines.indonesian import thousands
from pipelines.reports.charts import svg_chart
from pipelines.reports.tables import NO_DATA, Column, Report, Section, Table

CSS = """
:root { color-scheme: light; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", sans-serif;
       margin: 0 auto; max-width: 1100px; padding: 1rem; color: #222; line-height: 1.4; }
header h1 { color: #1F4E79; font-size: 1.5rem; margin: 0 0 .25rem; }
.meta { color: #555; font-size: .9rem; margin: 0; }
nav { margin: 1rem 0; font-size: .9rem; } nav a { margin-right: .75rem; color: #1F4E79; }
h2 { color: #1F4E79; border-bottom: 2px solid #DDEBF7; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .3rem; }
.note { color: #555; font-size: .85rem; margin: .2rem 0 .5rem; }
.no-data { color: #C00000; font-style: italic; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
table { border-collapse: collapse; font-size: .85rem; margin-bottom: .5rem; }
th, td { border: 1px solid #C9C9C9; padding: .25rem .45rem; vertical-align: top; }
th { background: #DDEBF7; text-align: left; }
td.n { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(10rem, 1fr)); gap: .6rem; }
.card { border: 1px solid #DDEBF7; border-radius: 6px; padding: .5rem .7rem; }
.card .v { font-size: 1.5rem; font-weight: 700; color: #1F4E79; }
.card .k { font-size: .85rem; } .card .d { font-size: .75rem; color: #666; }
figure.chart { margin: .5rem 0 1rem; max-width: 640px; } figure.chart svg { width: 100%; height: auto; }
figcaption { font-weight: 600; font-size: .9rem; }
summary { cursor: pointer; color: #1F4E79; margin: .3rem 0; }
@media print { nav, .cards { display: none; } body { max-width: none; padding: 0; font-size: 10pt; }
  h2 { break-before: page; } section:first-of-type h2 { break-before: avoid; }
  h3, .note, figure.chart { break-after: avoid; } .scroll { overflow: visible; }
  table, figure { break-inside: avoid; } }
@page { size: A4 landscape; margin: 12mm; }
"""
LONG_TABLE = 60  # rows; a longer table is shown folded (<details>), still in the page
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def write_html(report: Report, path: Path) -> Path:
    path.write_text(render(report), encoding="utf-8")
    return path


def render(report: Report) -> str:
    title = f"Rekap UMKM dan Koperasi {report.region_name} - {report.period_label}"
    body = [
        f"<header><h1>{escape(title)}</h1>",
        f'<p class="meta">Keadaan per {_date(report.period_end)} &middot; '
        f"Sumber: gudang data UMKM dan Koperasi (dibangun {escape(report.built_at)}, "
        f"run {escape(report.run_id)})</p></header>",
    ]
    if not report.has_data:
        body.append(f'<p class="no-data" data-no-data="true">{NO_DATA}</p>')
    body.append(_nav(report.sections))
    body += [_section(section, index) for index, section in enumerate(report.sections)]
    return (
        '<!DOCTYPE html>\n<html lang="id"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>\n"
    )


def _nav(sections: list[Section]) -> str:
    links = "".join(f'<a href="#s{index}">{escape(s.title)}</a>' for index, s in enumerate(sections))
    return f"<nav>{links}</nav>"


def _section(section: Section, index: int) -> str:
    parts = [f'<section id="s{index}"><h2>{escape(section.title)}</h2>']
    if section.note:
        parts.append(f'<p class="note">{escape(section.note)}</p>')
    for table in section.tables:
        if table.key == "ringkasan" and table.rows:
            parts.append(_cards(table))
        parts.append(_table(table))
    parts.append("</section>")
    return "".join(parts)


def _cards(table: Table) -> str:
    """The headline figures as large numbers (phones): the same values as the table under them."""
    cards = "".join(
        f'<div class="card"><div class="v">{_number(value)}</div><div class="k">{escape(name)}</div>'
        f'<div class="d">{escape(str(detail))}</div></div>'
        for name, value, detail in table.rows
    )
    return f'<div class="cards">{cards}</div>'


def _table(table: Table) -> str:
    parts = [f"<h3>{escape(table.title)}</h3>"]
    if table.note:
        parts.append(f'<p class="note">{escape(table.note)}</p>')
    if not table.rows:
        parts.append(f'<p class="no-data" data-table="{table.key}" data-empty="true">{NO_DATA}</p>')
        return "".join(parts)
    parts.append(svg_chart(table))
    head = "".join(f'<th scope="col">{escape(column.label)}</th>' for column in table.columns)
    rows = "".join(
        "<tr>"
        + "".join(_cell(table, column, value) for column, value in zip(table.columns, row, strict=True))
        + "</tr>"
        for row in table.listed_rows()
    )
    grid = (
        f'<div class="scroll"><table data-table="{table.key}"><thead><tr>{head}</tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )
    shown = len(table.listed_rows())
    if shown > LONG_TABLE:  # the follow-up list: folded, so the page stays a briefing
        grid = f"<details><summary>Tampilkan {_number(shown)} baris</summary>{grid}</details>"
    parts.append(grid)
    return "".join(parts)


def _cell(table: Table, column: Column, value: Any) -> str:
    attributes = f'data-column="{column.key}"'
    if column.kind == "text" or isinstance(value, str):
        return f"<td {attributes}>{escape('' if value is None else str(value))}</td>"
    if isinstance(value, dt.date):
        return f'<td {attributes} data-value="{value.isoformat()}">{_date(value)}</td>'
    raw = "" if value is None else repr(value)
    shown = _share(value) if column.kind == "share" else _number(value)
    if column.kind == "rupiah" and value is not None:
        shown = f"Rp {shown}"
    return f'<td class="n" {attributes} data-value="{raw}">{shown}</td>'


def _number(value: Any) -> str:
    """1.234.567 (Indonesian thousands); a fraction with a decimal comma."""
    if value is None:
        return "-"
    if isinstance(value, float) and value != int(value):
        return f"{value:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".")
    return thousands(value)


def _share(value: Any) -> str:
    return "-" if value is None else f"{100 * value:.1f}%".replace(".", ",")


def _date(day: dt.date) -> str:
    from pipelines.reports.period import date_id

    return date_id(day)
