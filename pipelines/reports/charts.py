"""Inline SVG bar charts for the HTML page: no script, no network, readable when printed in black and white
(each bar carries its value as text)."""

from __future__ import annotations

from html import escape

from pipelines.indonesian import thousands
from pipelines.reports.tables import Chart, Table

COLOURS = ("#1F4E79", "#C55A11", "#548235")
BAR = 18
GAP = 8
LABEL_WIDTH = 230
WIDTH = 640


def svg_chart(table: Table) -> str:
    chart = table.chart
    if chart is None or not table.rows:
        return ""
    return _columns(table, chart) if chart.kind == "column" else _bars(table, chart)


def _series(table: Table, chart: Chart) -> tuple[list[str], list[list[float]]]:
    labels = [str(value) for value in table.column(chart.category)]
    return labels, [[float(v or 0) for v in table.column(key)] for key in chart.values]


def _legend(table: Table, chart: Chart, y: int) -> str:
    if len(chart.values) < 2:
        return ""
    labels = {column.key: column.label for column in table.columns}
    parts = []
    for index, key in enumerate(chart.values):
        x = LABEL_WIDTH + index * 140
        parts.append(
            f'<rect x="{x}" y="{y}" width="12" height="12" fill="{COLOURS[index]}"/>'
            f'<text x="{x + 16}" y="{y + 11}">{escape(labels[key])}</text>'
        )
    return "".join(parts)


def _bars(table: Table, chart: Chart) -> str:
    """Horizontal bars: one group per category, one bar per value column."""
    labels, series = _series(table, chart)
    top = max((max(values) for values in series), default=0) or 1
    group = BAR * len(series) + GAP
    height = group * len(labels) + (28 if len(series) > 1 else 6)
    plot = WIDTH - LABEL_WIDTH - 70
    parts = []
    for row, label in enumerate(labels):
        y = row * group
        short = label if len(label) <= 34 else label[:33] + "…"
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR * len(series) / 2 + 4}" text-anchor="end">'
            f"<title>{escape(label)}</title>{escape(short)}</text>"
        )
        for index, values in enumerate(series):
            length = plot * values[row] / top
            by = y + index * BAR
            parts.append(
                f'<rect x="{LABEL_WIDTH}" y="{by + 2}" width="{length:.1f}" height="{BAR - 4}" '
                f'fill="{COLOURS[index]}"/>'
                f'<text x="{LABEL_WIDTH + length + 4:.1f}" y="{by + BAR - 5}">{thousands(values[row])}</text>'
            )
    parts.append(f'<g transform="translate(0,{height - 16})">{_legend(table, chart, 0)}</g>')
    return _svg(chart.title, height, "".join(parts))


def _columns(table: Table, chart: Chart) -> str:
    """Vertical columns (months): labels under the axis, values above the columns."""
    labels, series = _series(table, chart)
    values = series[0]
    top = max(values, default=0) or 1
    height, plot_top, plot_bottom = 260, 20, 200
    step = (WIDTH - 20) / max(len(labels), 1)
    parts = [f'<line x1="10" y1="{plot_bottom}" x2="{WIDTH - 10}" y2="{plot_bottom}" stroke="#999"/>']
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        bar_height = (plot_bottom - plot_top) * value / top
        x = 10 + index * step
        centre = x + step / 2
        parts.append(
            f'<rect x="{x + step * 0.15:.1f}" y="{plot_bottom - bar_height:.1f}" width="{step * 0.7:.1f}" '
            f'height="{bar_height:.1f}" fill="{COLOURS[0]}"/>'
            f'<text x="{centre:.1f}" y="{plot_bottom - bar_height - 4:.1f}" text-anchor="middle">'
            f"{thousands(value)}</text>"
            f'<text x="{centre:.1f}" y="{plot_bottom + 16}" text-anchor="middle">{escape(label)}</text>'
        )
    return _svg(chart.title, height, "".join(parts))


def _svg(title: str, height: float, body: str) -> str:
    return (
        f'<figure class="chart"><figcaption>{escape(title)}</figcaption>'
        f'<svg role="img" aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {height:.0f}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
        f'<g font-size="12" fill="#222">{body}</g></svg></figure>'
    )
