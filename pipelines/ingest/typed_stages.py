"""The SQL that types one sheet's landed text (landing_text): four SELECT lists, each over the one before.

1. ``plain``: every column's text with its spaces made plain (umkm__plain_spaces), the raw text beside it;
2. ``normalised``: the forms the rules read, each computed once per cell: the cleaned text, the date text, the
   digits of a code, the money/count/compact text and whether the value is a personal number;
3. ``parse``: the typed value of every column by the inner macros of parse_macros.sql (umkm__<x>_of...),
   and the flags the checks need;
4. ``check``: which columns did not parse (kept as typed text, safe to show), free text masked, and the first
   failed rule of the row (a reject).

The public macros (umkm_parse_nib(s), umkm_parse_date_ordered(s, month_first), ...) are the same inner macros
applied to the same normalised forms, so stage by stage the loader lands exactly what the public macros say
(tests/ingest/test_typed_stages.py compares them over the parser test tables). Staging matters because DuckDB
expands a macro's argument at every use: the one-step SELECT of a cooperative register was an expression tree
that took seconds to plan, and ran the same regular expressions many times per cell.
"""

from __future__ import annotations

from dataclasses import dataclass

from pipelines.ingest.spec import PII_KINDS, Column, Family, Kind

# What officials read when a row is rejected (Indonesian), by the kind of the failing column.
REJECT_MESSAGE = {
    Kind.DATE: "tanggal tidak dikenali (contoh yang diterima: 26/07/2024, 26 Juli 2024, tanggal Excel)",
    Kind.YEAR: "tahun tidak dikenali (contoh yang diterima: 2023, TB 2023, Th. 2022)",
    Kind.KBLI: "KBLI harus 5 digit angka",
    Kind.KOPERASI_ID: "Nomor Induk Koperasi harus 16 digit angka",
    Kind.NIB: "NIB harus 13 digit angka yang masuk akal (satu nol di depan yang hilang dipulihkan; nomor "
    "telepon dan notasi ilmiah tidak bisa)",
    Kind.MONEY: "nilai rupiah tidak dikenali",
    Kind.INTEGER: "bukan bilangan bulat",
    Kind.DECIMAL: "bukan angka",
}

# Checks of one kind that name a more precise rule than "<kind>_format", tried before it: (SQL condition on
# the column's digits, rule, message).
SPECIFIC_REJECTS = {
    Kind.KOPERASI_ID: (
        "umkm__nomor_koperasi_truncated_of_digits({digits})",
        "nomor_koperasi_terpotong",
        "Nomor Induk Koperasi berakhir dengan deretan nol: digit terakhirnya hilang karena tersimpan sebagai "
        "notasi ilmiah di Excel. Ketik ulang nomornya sebagai teks",
    ),
}

# Kinds whose rules read the digits of a code; kinds that read a personal-number flag and a text form.
_DIGIT_KINDS = frozenset({Kind.NIB, Kind.KBLI, Kind.KOPERASI_ID, Kind.PII_NIK})
_NUMBER_TEXT = {
    Kind.MONEY: "umkm__money_text_of_plain({plain})",
    Kind.INTEGER: "umkm__count_text_of_plain({plain})",
    Kind.DECIMAL: "umkm__compact({raw})",
}


def landed_name(column: Column) -> str:
    """Personal data lands only as a validity flag; names of persons do not land at all."""
    return f"{column.name}_valid" if column.kind in PII_KINDS else column.name


def day_unknown_name(column: Column) -> str:
    return f"{column.name}_day_unknown"


def _q(name: str) -> str:
    return f'"{name}"'


class _Forms:
    """Names of one column's forms in the stages after the first (``forms.clean`` is "<column>__clean")."""

    FORMS = frozenset(
        {
            "plain",
            "clean",
            "date_text",
            "digits",
            "number_text",
            "personal",
            "has_value",
            "raw_copy",
            "clean_copy",
            "plain_copy",
        }
    )

    def __init__(self, column: Column):
        self.column = column
        self.raw = _q(column.name)

    def __getattr__(self, form: str) -> str:
        if form not in self.FORMS:
            raise AttributeError(form)
        return _q(f"{self.column.name}__{form}")


def form_name(column: Column, form: str) -> str:
    """The quoted name of one of ``column``'s forms in the stages after the first: the loader reads the
    normalised stage's date texts and NIB digits to decide the date orders (date_order.py)."""
    return getattr(_Forms(column), form)


@dataclass(frozen=True)
class TypedStages:
    plain: str
    normalised: str
    parse: str
    check: str


def typed_stages(
    family: Family,
    present: set[str],
    month_first: set[str] = frozenset(),
    headers: dict[str, str] | None = None,
) -> TypedStages:
    """The four SELECT lists for a sheet of ``family`` whose file has the columns ``present``. Date columns in
    ``month_first`` read numeric dates month-first. Reject messages name a column by ``headers`` (its header
    as typed in the file), else by its canonical name."""
    columns = [c for c in family.columns if c.kind is not Kind.PII_NAME]
    plain, normalised = ["_row_number"], ["_row_number"]
    for column in columns:
        forms = _Forms(column)
        raw = forms.raw if column.name in present else "NULL::VARCHAR"
        plain += [f"{raw} AS {forms.raw}", f"umkm__plain_spaces({raw}) AS {forms.plain}"]
        normalised += _normalised(column, forms)
    parse, check = _parse_and_check(columns, month_first, headers or {})
    separator = ",\n       "
    return TypedStages(*(separator.join(stage) for stage in (plain, normalised, parse, check)))


def _normalised(column: Column, forms: _Forms) -> list[str]:
    kind = column.kind
    selected = [f"{forms.raw} AS {forms.raw}", f"umkm__clean_of_plain({forms.plain}) AS {forms.clean}"]
    if kind is Kind.DATE:
        selected.append(f"umkm__date_text_of_plain({forms.plain}) AS {forms.date_text}")
    if kind is Kind.YEAR or _has_shown_value(column):
        selected.append(f"{forms.plain} AS {forms.plain}")
    if kind in _DIGIT_KINDS:
        selected.append(f"umkm__digits_of_plain({forms.plain}) AS {forms.digits}")
    if number_text := _NUMBER_TEXT.get(kind):
        selected.append(f"{number_text.format(plain=forms.plain, raw=forms.raw)} AS {forms.number_text}")
        selected.append(f"umkm__personal_number({forms.raw}) AS {forms.personal}")
    return selected


def _has_shown_value(column: Column) -> bool:
    """Columns whose failed value is shown to staff (rejects, gaps): non-text columns and required text."""
    return column.kind not in PII_KINDS and (column.kind is not Kind.TEXT or column.required)


def _typed_value(
    column: Column, forms: _Forms, month_first: bool, *, day_optional: bool | None = None
) -> str:
    kind = column.kind
    if kind is Kind.DATE:
        call = f"umkm__parse_date_clean({forms.date_text}, {'true' if month_first else 'false'})"
        if column.day_optional if day_optional is None else day_optional:
            call = f"coalesce({call}, umkm__month_year_of({forms.date_text}))"
        return call
    return {
        Kind.TEXT: forms.clean,
        Kind.NIB: f"umkm__nib_of_digits({forms.digits})",
        Kind.KBLI: f"umkm__kbli_of_digits({forms.digits})",
        Kind.KOPERASI_ID: f"umkm__nomor_koperasi_of_digits({forms.digits})",
        Kind.YEAR: f"umkm__year_of_plain({forms.plain})",
        Kind.MONEY: f"umkm__rupiah_of({forms.personal}, {forms.number_text})",
        Kind.INTEGER: f"umkm__integer_of({forms.personal}, {forms.number_text})",
        Kind.DECIMAL: f"umkm__decimal_of({forms.personal}, {forms.number_text})",
        Kind.PII_PHONE: f"umkm__valid_phone_of({forms.clean} IS NOT NULL, {forms.raw})",
        Kind.PII_EMAIL: f"umkm__valid_email_of({forms.clean} IS NOT NULL, {forms.raw})",
        Kind.PII_NIK: f"umkm__valid_nik_of({forms.clean} IS NOT NULL, {forms.digits})",
    }[kind]


def _shown_value(column: Column, forms: _Forms) -> str:
    """The typed text shown in rejects and gaps (stage 4, over stage 3's copies): a code of the column's own
    kind as typed (a 16-digit cooperative number is not a person's NIK there), anything else only when it is
    safe (umkm_safe_value)."""
    digits = f"umkm__digits_of_plain({forms.plain_copy})"
    safe = f"umkm__safe_value_of({forms.raw_copy}, {forms.clean_copy}, {digits})"
    if column.kind is Kind.KOPERASI_ID:
        return f"CASE WHEN regexp_matches({digits}, '^\\d{{16}}$') THEN {digits} ELSE {safe} END"
    return safe


def _parse_and_check(
    columns: list[Column], month_first: set[str], headers: dict[str, str]
) -> tuple[list[str], list[str]]:
    parse, check, unparsed, reject_checks = ["_row_number"], ["_row_number"], [], []
    for column in columns:
        forms = _Forms(column)
        # Officials read the message beside their own file: the header they typed, quoted for the SQL literal.
        header = headers.get(column.name, column.name).replace("'", "''")
        landed = _q(landed_name(column))
        first = column.name in month_first
        parse.append(f"{_typed_value(column, forms, first)} AS {landed}")
        # Free text is masked in the last stage, over the cleaned value.
        free_text = column.kind is Kind.TEXT and not _is_identifier(column)
        check.append(f"umkm__mask_personal_in_text({landed}) AS {landed}" if free_text else landed)
        if column.day_optional:
            full = _typed_value(column, forms, first, day_optional=False)
            unknown_day = f"{full} IS NULL AND umkm__month_year_of({forms.date_text}) IS NOT NULL"
            parse.append(f"{unknown_day} AS {_q(day_unknown_name(column))}")
            check.append(_q(day_unknown_name(column)))
        if not _has_shown_value(column):
            continue
        has_value = forms.has_value
        parse += [
            f"{forms.clean} IS NOT NULL AS {has_value}",
            f"{forms.raw} AS {forms.raw_copy}",
            f"{forms.clean} AS {forms.clean_copy}",
            f"{forms.plain} AS {forms.plain_copy}",
        ]
        # What staff are shown of a value that failed; computed in the last stage, only for failed rows.
        shown = _shown_value(column, forms)
        if column.kind is not Kind.TEXT:
            unparsed.append((column.name, f"{has_value} AND {landed} IS NULL", shown))
        if column.required:
            reject_checks.append(
                (
                    f"NOT {has_value}",
                    column.name,
                    "required_missing",
                    f"{header} wajib diisi tetapi kosong",
                    shown,
                )
            )
            if specific := SPECIFIC_REJECTS.get(column.kind):
                condition, rule, message = specific
                flag = _q(f"{column.name}__{rule}")
                parse.append(f"{condition.format(digits=forms.digits)} AS {flag}")
                reject_checks.append((flag, column.name, rule, f"{header}: {message}", shown))
            bad_message = f"{header}: {REJECT_MESSAGE.get(column.kind, 'nilai tidak valid')}"
            reject_checks.append(
                (f"{landed} IS NULL", column.name, f"{column.kind.value}_format", bad_message, shown)
            )
    check += _unparsed_lists(unparsed) + _reject_columns(reject_checks)
    return parse, check


def _unparsed_lists(unparsed: list[tuple[str, str, str]]) -> list[str]:
    names = ", ".join(f"CASE WHEN {failed} THEN '{name}' END" for name, failed, _ in unparsed)
    entries = ", ".join(
        f"{{'k': '{name}', 'v': CASE WHEN {failed} THEN {shown} END}}" for name, failed, shown in unparsed
    )
    return [
        f"list_filter([{names}]::VARCHAR[], lambda x: x IS NOT NULL) AS _unparsed_columns",
        f"map_from_entries(list_filter([{entries}]::STRUCT(k VARCHAR, v VARCHAR)[], "
        "lambda e: e.v IS NOT NULL)) AS _unparsed_values",
    ]


def _reject_columns(reject_checks: list[tuple[str, str, str, str, str]]) -> list[str]:
    selected = []
    for alias, index in (("_reject_column", 1), ("_reject_rule", 2), ("_reject_message", 3)):
        cases = " ".join(f"WHEN {c[0]} THEN '{c[index]}'" for c in reject_checks)
        selected.append(f"CASE {cases} END AS {alias}" if cases else f"NULL::VARCHAR AS {alias}")
    value_cases = " ".join(f"WHEN {c[0]} THEN {c[4]}" for c in reject_checks)
    selected.append(
        f"CASE {value_cases} END AS _reject_value" if value_cases else "NULL::VARCHAR AS _reject_value"
    )
    return selected


def _is_identifier(column: Column) -> bool:
    """An id is the row's own identity (Id Proyek, Id Permohonan Izin): kept as typed, never masked."""
    return column.name.startswith("id_")
