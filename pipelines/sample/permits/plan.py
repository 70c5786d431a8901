"""Which files a profile's export folder holds: yearly exports of each family plus overlapping quarterly,
monthly and cumulative ones, and which file carries which kind of mess (invalid rows, text dates in either
order, Indonesian-Excel CSV, a headerless file, a file uploaded twice)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pipelines.sample.cells import MONTHS
from pipelines.sample.permits.calibration import PermitProfile
from pipelines.sample.permits.layouts import ExportSpec


def _period(first: dt.date, last: dt.date, profile: PermitProfile) -> tuple[dt.date, dt.date]:
    return max(first, profile.start), min(last, profile.end)


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class _Periods:
    """The periods a profile's files cover: earlier years, the fourth quarter of the year before the as-of
    year, the as-of year so far and its last month."""

    profile: PermitProfile
    last: int  # the as-of year
    label: str
    years: range  # the full years before the as-of year
    q4: tuple[dt.date, dt.date]
    this_year: tuple[dt.date, dt.date]
    last_month: tuple[dt.date, dt.date]
    end_month: str

    @classmethod
    def of(cls, profile: PermitProfile) -> _Periods:
        last = profile.end.year
        if profile.end.month < 5 or profile.start.year > last - 3:
            raise ValueError(
                "the file plan needs at least four earlier years and five months in the last year"
            )
        return cls(
            profile=profile,
            last=last,
            label=profile.file_label,
            years=range(profile.start.year, last),
            q4=_period(dt.date(last - 1, 10, 1), dt.date(last - 1, 12, 31), profile),
            this_year=_period(dt.date(last, 1, 1), profile.end, profile),
            last_month=_period(dt.date(last, profile.end.month, 1), profile.end, profile),
            end_month=MONTHS[profile.end.month - 1],
        )


def plan(profile: PermitProfile) -> list[ExportSpec]:
    """Which files to write, in writing order (part of the seed): NIB list, project list, permit list."""
    periods = _Periods.of(profile)
    return [*_nib_yearly(periods), *_nib_recent(periods), *_project_files(periods), *_permit_files(periods)]


def _nib_yearly(p: _Periods) -> list[ExportSpec]:
    """The NIB list's yearly files: two CSVs of Excel's (UTF-8 with BOM; Indonesian locale), titled xlsx."""
    specs: list[ExportSpec] = []
    for y in p.years:
        period = _period(dt.date(y, 1, 1), dt.date(y, 12, 31), p.profile)
        if y == p.last - 3:  # Excel "CSV UTF-8" (with BOM), mixed date styles
            specs.append(
                ExportSpec(
                    "nib",
                    f"Data NIB {p.label} {y}.csv",
                    *period,
                    fmt="csv",
                    header="tableau",
                    encoding="utf-8-sig",
                    invalid=("sci_nib_dot", "long_nib", "dash_date"),
                )
            )
        elif y == p.last - 2:  # Indonesian-locale Excel: ';' and Windows-1252
            specs.append(
                ExportSpec(
                    "nib",
                    f"Data NIB {p.label} {y}.csv",
                    *period,
                    fmt="csv-id",
                    header="title",
                    scale_style="short",
                    encoding="cp1252",
                    invalid=("sci_nib_comma",),
                )
            )
        else:
            invalid = ("blank_nib", "letter_nib", "phone_nib", "impossible_date") if y == p.last - 1 else ()
            specs.append(
                ExportSpec(
                    "nib",
                    f"Data NIB {p.label} {y}.xlsx",
                    *period,
                    header="title",
                    titled=True,
                    invalid=invalid,
                    text_dates=0.02 if y == p.last - 1 else 0.0,
                )
            )
    return specs


def _nib_recent(p: _Periods) -> list[ExportSpec]:
    """The NIB list's overlapping files: a fourth-quarter Tableau download, monthly files, Jan to Mar."""
    specs: list[ExportSpec] = []
    # A Tableau download made on a US-locale machine: every date month-first text ("10/13/2023"), issue 8.
    specs.append(
        ExportSpec(
            "nib",
            f"Data NIB {p.label} Triwulan IV {p.last - 1}.xlsx",
            *p.q4,
            header="tableau",
            scale_style="upper",
            text_dates=1.0,
            date_order="mdy",
        )
    )
    for month in range(1, p.profile.end.month + 1):
        period = _period(dt.date(p.last, month, 1), _month_end(p.last, month), p.profile)
        name = f"NIB {MONTHS[month - 1]} {p.last}"
        if month == 2:
            specs.append(
                ExportSpec("nib", f"{name}.xlsx", *period, header="tableau", duplicate_as=f"{name} (1).xlsx")
            )
        elif month == 3:
            specs.append(ExportSpec("nib", f"{name}.csv", *period, fmt="csv", invalid=("short_nib",)))
        elif month == 4:
            specs.append(
                ExportSpec("nib", f"{name}.csv", *period, fmt="csv", header=None, scale_style="upper")
            )
        else:
            invalid = ("belum_date",) if month == 5 else ()
            # The month so far, as day-first text: when the export is made early in the month every date is
            # ambiguous (day <= 12), and only the NIBs' ddmmyy prefixes tell the order.
            text = 1.0 if month == p.profile.end.month else 0.0
            specs.append(
                ExportSpec(
                    "nib",
                    f"{name}.xlsx",
                    *period,
                    header="upper",
                    scale_style="upper",
                    invalid=invalid,
                    text_dates=text,
                )
            )
    specs.append(
        ExportSpec(
            "nib",
            f"NIB Januari sd Maret {p.last}.csv",
            *_period(dt.date(p.last, 1, 1), dt.date(p.last, 3, 31), p.profile),
            fmt="csv",
            header="title",
            titled=True,
        )
    )
    return specs


def _project_files(p: _Periods) -> list[ExportSpec]:
    """The project list: yearly files, the fourth quarter, the year so far, the last month."""
    specs: list[ExportSpec] = []
    # project list: the biggest family, so every other year is CSV (xlsx cells are the slow part of a run)
    for y in p.years:
        period = _period(dt.date(y, 1, 1), dt.date(y, 12, 31), p.profile)
        fmt = "csv" if (p.last - y) % 2 == 1 else "xlsx"
        specs.append(
            ExportSpec(
                "proyek",
                f"Daftar Proyek {p.label} {y}.{fmt}",
                *period,
                fmt=fmt,
                header=("tableau", "snake", "title")[y % 3],
                titled=y == p.profile.start.year,
                invalid=("orphan_letter_nib",) if y == p.last - 1 else (),
            )
        )
    specs.append(  # the same Tableau download of the project list: month-first text dates
        ExportSpec(
            "proyek",
            f"Daftar Proyek Triwulan IV {p.last - 1}.xlsx",
            *p.q4,
            header="tableau",
            text_dates=1.0,
            date_order="mdy",
        )
    )
    specs.append(
        ExportSpec(
            "proyek",
            f"Daftar Proyek Januari sd {p.end_month} {p.last}.xlsx",
            *p.this_year,
            header="tableau",
            scale_style="upper",
            invalid=("blank_project_id",),
        )
    )
    specs.append(
        ExportSpec(
            "proyek", f"Daftar Proyek {p.end_month} {p.last}.csv", *p.last_month, fmt="csv", header="title"
        )
    )
    return specs


def _permit_files(p: _Periods) -> list[ExportSpec]:
    """The permit list ("List izin"): yearly files, the year so far, the last month."""
    specs: list[ExportSpec] = []
    # permit list ("List izin")
    for y in p.years:
        period = _period(dt.date(y, 1, 1), dt.date(y, 12, 31), p.profile)
        if y == p.last - 1:
            specs.append(
                ExportSpec(
                    "izin",
                    f"List Izin {p.label} {y}.csv",
                    *period,
                    fmt="csv",
                    header="tableau",
                    invalid=("orphan_sci_nib", "orphan_blank_nib", "region_blank_nib"),
                )
            )
        else:
            specs.append(
                ExportSpec(
                    "izin",
                    f"List Izin {p.label} {y}.xlsx",
                    *period,
                    header=("tableau", "upper", "snake")[y % 3],
                )
            )
    specs.append(
        ExportSpec(
            "izin",
            f"List Izin Januari sd {p.end_month} {p.last}.csv",
            *p.this_year,
            fmt="csv",
            header="tableau",
        )
    )
    specs.append(
        ExportSpec(
            "izin",
            f"List Izin {p.end_month} {p.last}.xlsx",
            *p.last_month,
            header="upper",
            invalid=("blank_permit_id",),
            # Permits issued early in the month: the issue dates are day-first text, all ambiguous, next to
            # Excel date cells for the businesses' dates, so nothing in the file tells the order (issue 8).
            text_dates=1.0,
            typed_dates=("tanggal_terbit_oss",),
        )
    )
    return specs
