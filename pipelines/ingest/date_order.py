"""Which order (day-month or month-day) the numeric dates of one file's column are written in, from evidence.

OSS dashboard downloads write slash dates in the exporting machine's locale: one office's NIB list is
month-first (``01/13/2023``) while its permit list of the same month is day-first (``13/01/23``). So the order
is decided per file, sheet and date column, never assumed, from:

1. the column's own values: a first part above 12 fits only day-first, a second part above 12 only month-first
   (macro ``umkm_date_order_evidence``); one-sided evidence decides;
2. the other date columns of the same sheet (one export, one locale), when they agree;
3. for ``tanggal_terbit_oss``: NIBs issued since OSS RBA (August 2021) begin with their issue date ddmmyy
   (macro ``umkm_nib_issue_date``); when most such NIBs agree with one reading of the column, that is it.

A column whose values support both orders, or whose values fit both and nothing else decides, is read
day-first (the Indonesian default) and recorded as uncertain: the gap mart lists it
(``urutan_tanggal_tidak_pasti``). ISO text, Excel date cells and month names need no decision. Every decision
is recorded in ``raw.ingest_files.date_orders``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import duckdb

DAY_FIRST = "dmy"
MONTH_FIRST = "mdy"
NIB_DATE_COLUMN = "tanggal_terbit_oss"  # the NIB's own issue date, in every OSS family


@dataclass(frozen=True)
class ColumnEvidence:
    """How many numeric dates of a column fit only day-first, only month-first, or both."""

    day_first_rows: int = 0
    month_first_rows: int = 0
    ambiguous_rows: int = 0

    @property
    def has_numeric_dates(self) -> bool:
        return bool(self.day_first_rows or self.month_first_rows or self.ambiguous_rows)

    @property
    def one_sided(self) -> str | None:
        if self.day_first_rows and not self.month_first_rows:
            return DAY_FIRST
        if self.month_first_rows and not self.day_first_rows:
            return MONTH_FIRST
        return None

    @property
    def conflicting(self) -> bool:
        return bool(self.day_first_rows and self.month_first_rows)


@dataclass(frozen=True)
class DateOrder:
    column_name: str
    date_order: str  # dmy | mdy
    day_first_rows: int
    month_first_rows: int
    ambiguous_rows: int
    evidence: str  # values | other_date_columns | nib_prefix | values+nib_prefix | conflicting | none
    certain: bool

    @property
    def month_first(self) -> bool:
        return self.date_order == MONTH_FIRST

    def as_row(self) -> dict[str, object]:
        return {
            "column_name": self.column_name,
            "date_order": self.date_order,
            "day_first_rows": self.day_first_rows,
            "month_first_rows": self.month_first_rows,
            "ambiguous_rows": self.ambiguous_rows,
            "evidence": self.evidence,
            "certain": self.certain,
        }


def decide(evidence: Mapping[str, ColumnEvidence], nib_order: str | None = None) -> dict[str, DateOrder]:
    """The order of each column that holds numeric dates (columns without any need no decision).
    ``nib_order`` is what the NIB prefixes say about ``tanggal_terbit_oss`` (None: no majority or no NIBs)."""
    decided_elsewhere = {name: e.one_sided for name, e in evidence.items() if e.one_sided}
    orders: dict[str, DateOrder] = {}
    for name, column in evidence.items():
        if not column.has_numeric_dates:
            continue
        own_nib = nib_order if name == NIB_DATE_COLUMN else None
        order, source, certain = _decide_column(name, column, decided_elsewhere, own_nib)
        orders[name] = DateOrder(
            name,
            order,
            column.day_first_rows,
            column.month_first_rows,
            column.ambiguous_rows,
            source,
            certain,
        )
    return orders


def _decide_column(
    name: str, column: ColumnEvidence, decided_elsewhere: Mapping[str, str], nib_order: str | None
) -> tuple[str, str, bool]:
    if column.conflicting:
        return DAY_FIRST, "conflicting", False
    if own := column.one_sided:
        if nib_order and nib_order != own:
            return own, "conflicting", False
        return own, "values+nib_prefix" if nib_order else "values", True
    others = {order for other, order in decided_elsewhere.items() if other != name}
    candidates = others | ({nib_order} if nib_order else set())
    if len(candidates) == 1:
        order = candidates.pop()
        if nib_order and others:
            return order, "other_date_columns+nib_prefix", True
        return order, "nib_prefix" if nib_order else "other_date_columns", True
    if len(candidates) > 1:
        return DAY_FIRST, "conflicting", False
    return DAY_FIRST, "none", False


def nib_prefix_order(agree_day_first: int, agree_month_first: int, with_issue_date: int) -> str | None:
    """The order most RBA-era NIBs agree with: more than half of them, and more than the other reading."""
    if agree_day_first * 2 > with_issue_date and agree_day_first > agree_month_first:
        return DAY_FIRST
    if agree_month_first * 2 > with_issue_date and agree_month_first > agree_day_first:
        return MONTH_FIRST
    return None


def gather_evidence(
    con: duckdb.DuckDBPyConnection, table: str, date_texts: Mapping[str, str], nib_digits: str | None
) -> tuple[dict[str, ColumnEvidence], str | None]:
    """Count the evidence in ``table``, which holds each date column's date text (``date_texts``: column ->
    its SQL expression, umkm__date_text of the value) and the NIB's digits (``nib_digits``,
    umkm__digits_of_code of the value): the loader's normalised stage has both, so the typing pass computes
    them once for its own use and for this. One scan for the date columns, one for the NIB prefixes."""
    if not date_texts:
        return {}, None
    names = list(date_texts)
    per_row = ", ".join(
        f"umkm__date_order_evidence_of({date_texts[name]}) AS e{i}" for i, name in enumerate(names)
    )
    aggregates = [
        f"count(*) FILTER (e{i} = '{kind}')"
        for i in range(len(names))
        for kind in ("day_first", "month_first", "ambiguous")
    ]
    counts = con.execute(f"SELECT {', '.join(aggregates)} FROM (SELECT {per_row} FROM {table})").fetchone()
    evidence = {
        name: ColumnEvidence(*(int(c) for c in counts[3 * i : 3 * i + 3])) for i, name in enumerate(names)
    }
    nib_order = None
    if nib_digits and NIB_DATE_COLUMN in date_texts and evidence[NIB_DATE_COLUMN].has_numeric_dates:
        nib_order = _nib_prefix_order(con, table, date_texts[NIB_DATE_COLUMN], nib_digits)
    return evidence, nib_order


def _nib_prefix_order(
    con: duckdb.DuckDBPyConnection, table: str, date_text: str, nib_digits: str
) -> str | None:
    """How the RBA-era NIBs' issue dates read the numeric dates of tanggal_terbit_oss. Each step is a
    subquery of its own (a macro expands its argument at every use); a date text is parsed once per distinct
    (issue date, text) pair, not once per row (a month's export repeats few dates), and by one parse
    expression for both orders (a row per order), which halves the planning of this per-file statement."""
    row = con.execute(
        f"""SELECT coalesce(sum(n) FILTER (NOT month_first AND issued = parsed), 0),
                   coalesce(sum(n) FILTER (month_first AND issued = parsed), 0),
                   coalesce(sum(n) FILTER (NOT month_first), 0)
            FROM (SELECT n, issued, month_first, umkm__parse_date_clean(value_text, month_first) AS parsed
                  FROM (SELECT issued, value_text, count(*) AS n
                        FROM (SELECT umkm_nib_issue_date(nib) AS issued, value_text
                              FROM (SELECT umkm__nib_of_digits({nib_digits}) AS nib, {date_text} AS value_text
                                    FROM {table}
                                    WHERE umkm__date_order_evidence_of({date_text}) IS NOT NULL))
                        WHERE issued IS NOT NULL
                        GROUP BY ALL)
                  CROSS JOIN (VALUES (false), (true)) orders(month_first))"""
    ).fetchone()
    return nib_prefix_order(int(row[0]), int(row[1]), int(row[2]))
