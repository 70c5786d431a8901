"""The permit sample: reproducible bytes, the planted mess, and a truth the written files really hold.

The reader below re-implements the pipeline's rules (listed in ``compute_truth`` in
pipelines/sample/permits/truth.py) from scratch on the files as written (read with tests/sample/helpers.py),
without the generator's records, so a generator bug cannot hide behind its own bookkeeping. Run it on a big
profile by hand with ``assert_truth_holds(folder, truth, names)``.
"""

from __future__ import annotations

import bisect
import csv
import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pipelines.sample.permits import (
    BALIKPAPAN,
    KALTARA,
    KBLI_CODES,
    NEAR_BALIKPAPAN,
    NEAR_KALTARA,
    PermitTruth,
    write_permit_exports,
)
from tests.sample.helpers import read_rows

# Standard column order of the NIB list (domain.md), for the headerless file.
NIB_ORDER = (
    "nib", "tanggal_terbit_oss", "nama_perusahaan", "status_penanaman_modal", "uraian_jenis_perusahaan",
    "uraian_skala_usaha", "alamat_perusahaan", "kelurahan", "kecamatan", "kab_kota", "email", "nomor_telp",
)  # fmt: skip
MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "feb": 2, "peb": 2, "maret": 3, "mar": 3, "april": 4, "apr": 4,
    "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7, "agustus": 8, "agu": 8, "agt": 8, "agus": 8,
    "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "november": 11, "nov": 11, "nop": 11,
    "desember": 12, "des": 12,
}  # fmt: skip
SCALE_WORDS = {"mikro", "kecil", "menengah", "besar"}
# KBLI category of each division (domain.md).
CATEGORY_DIVISIONS = (
    ("A", 1, 3), ("B", 5, 9), ("C", 10, 33), ("D", 35, 35), ("E", 36, 39), ("F", 41, 43), ("G", 45, 47),
    ("H", 49, 53), ("I", 55, 56), ("J", 58, 63), ("K", 64, 66), ("L", 68, 68), ("M", 69, 75), ("N", 77, 82),
    ("O", 84, 84), ("P", 85, 85), ("Q", 86, 88), ("R", 90, 93), ("S", 94, 96), ("T", 97, 98), ("U", 99, 99),
)  # fmt: skip
# The Kemendagri and KBLI lists the warehouse itself uses (dbt seeds).
REFERENCE_DIRS = (Path(__file__).parents[2] / "dbt_project" / "seeds" / "reference",)

Value = str | float | int | dt.date | dt.datetime


# --- an independent reader --------------------------------------------------------------------------------


def header_key(name: Value) -> str:
    key = re.sub(r"[^a-z0-9]+", "_", str(name).strip().lower()).strip("_")
    return key.removeprefix("day_of_")


def family_of(keys: set[str]) -> str | None:
    if "id_permohonan_izin" in keys:
        return "izin"
    if "id_proyek" in keys:
        return "proyek"
    if {"nib", "alamat_perusahaan"} <= keys:
        return "nib"
    return None


def read_export(path: Path) -> tuple[str, list[dict[str, Value]], bool]:
    """(family, rows as dicts keyed by normalised header, headerless?) of one file."""
    cells = read_rows(path)
    for index, row in enumerate(cells[:10]):
        keys = [header_key(c) for c in row]
        family = family_of(set(keys))
        if family:
            body = cells[index + 1 :]
            return (
                family,
                [dict(zip(keys, r, strict=False)) for r in body if any(str(c).strip() for c in r)],
                False,
            )
    assert {len(r) for r in cells} == {len(NIB_ORDER)}, f"{path.name}: no header and not an NIB list"
    return "nib", [dict(zip(NIB_ORDER, r, strict=True)) for r in cells], True


def parse_nib(value: Value) -> str | None:
    """13 digits not beginning with 00, or 12 digits not beginning with 0 (one lost zero put back)."""
    text = str(value).strip().replace(" ", "").replace("'", "").removesuffix(".0")
    if re.fullmatch(r"(?!00)\d{13}", text):
        return text
    return "0" + text if re.fullmatch(r"[1-9]\d{11}", text) else None


SLASH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})")
DATE_COLUMNS = ("tanggal_terbit_oss", "tanggal_pengajuan_proyek", "tgl_izin")


def slash_parts(value: Value) -> tuple[int, int] | None:
    m = SLASH_DATE.fullmatch(str(value).strip()) if isinstance(value, str) else None
    return (int(m.group(1)), int(m.group(2))) if m else None


def date_order(values: list[Value]) -> str:
    """'dmy' or 'mdy' from the column's own values; 'ambiguous' when no part is above 12."""
    parts = [p for p in map(slash_parts, values) if p]
    day_first, month_first = any(a > 12 for a, _ in parts), any(b > 12 for _, b in parts)
    assert not (day_first and month_first), "a column mixing both orders"
    return "mdy" if month_first else "dmy" if day_first else "ambiguous"


def parse_date(value: Value, order: str = "dmy") -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        year, month, day = (int(g) for g in m.groups())
    elif m := SLASH_DATE.fullmatch(text):
        day, month, year = (int(g) for g in m.groups())
        if order == "mdy":
            day, month = month, day
        year += (2000 if year < 50 else 1900) if year < 100 else 0
    elif (m := re.fullmatch(r"(\d{1,2}) ([A-Za-z]+) (\d{4})", text)) and m.group(2).lower() in MONTHS:
        day, month, year = int(m.group(1)), MONTHS[m.group(2).lower()], int(m.group(3))
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_money(value: Value) -> int:
    if isinstance(value, int | float):
        return int(value)
    text = str(value).replace("Rp", "").strip().split(",")[0]
    return int(text.replace(".", ""))


def parse_kbli(value: Value) -> str:
    return str(int(float(value))).zfill(5) if isinstance(value, float) else str(value).strip().zfill(5)


def place_key(value: Value) -> str:
    text = re.sub(r"\s+", " ", str(value).strip().lower())
    return re.sub(r"^kab\. ", "kabupaten ", text)


def scale_of(value: Value) -> str | None:
    word = str(value).strip().lower().removeprefix("usaha ").strip()
    return word if word in SCALE_WORDS else None


def capital_scale(capital: int) -> str:
    for scale, bound in (("mikro", 10**9), ("kecil", 5 * 10**9), ("menengah", 10**10)):
        if capital <= bound:
            return scale
    return "besar"


@dataclass
class Recount:
    businesses: dict[str, tuple[dt.date, str | None]] = field(default_factory=dict)  # nib -> (date, scale)
    projects: dict[str, dict[str, tuple[dt.date, str, int]]] = field(default_factory=dict)
    permits: set[str] = field(default_factory=set)
    rejected: int = 0
    latest: dt.date = dt.date.min


def read_dated(path: Path) -> tuple[str, list[dict[str, Value]]]:
    """read_export with every date column parsed in the order its own values show (day-first when ambiguous):
    each row gains '<column>:date'."""
    family, records, _ = read_export(path)
    for column in DATE_COLUMNS:
        values = [r[column] for r in records if column in r]
        order = date_order(values)
        for record in records:
            if column in record:
                record[column + ":date"] = parse_date(record[column], order)
    return family, records


def recount(folder: Path, in_region: Callable[[str], bool]) -> Recount:
    """Apply the pipeline's rules to the files; byte-identical re-uploads are read once. A row is rejected
    only when its own identity is missing (a NIB-list row's NIB, Id Proyek, Id Permohonan Izin)."""
    out, seen = Recount(), set()
    rows: dict[str, list[dict[str, Value]]] = {"nib": [], "proyek": [], "izin": []}
    for path in sorted(folder.iterdir()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        family, records = read_dated(path)
        rows[family].extend(records)
    for row in rows["nib"]:
        nib, registered = parse_nib(row["nib"]), row["tanggal_terbit_oss:date"]
        if nib is None:
            out.rejected += 1
            continue
        out.latest = max(out.latest, registered or out.latest)
        if in_region(place_key(row["kab_kota"])):
            assert registered is not None, f"{nib}: a business of the region without a readable date"
            seen_before = out.businesses.setdefault(nib, (registered, scale_of(row["uraian_skala_usaha"])))
            # Overlapping exports must agree on what the truth depends on.
            assert seen_before == (registered, scale_of(row["uraian_skala_usaha"])), nib
    for row in rows["proyek"]:
        nib, project_id = parse_nib(row["nib"]), str(row["id_proyek"]).strip()
        if not project_id:
            out.rejected += 1
            continue
        if nib is None:
            continue  # kept with a gap (nib_malformed / nib_missing); names no business
        assert row["tanggal_terbit_oss:date"] == out.businesses.get(nib, (row["tanggal_terbit_oss:date"],))[0]
        project = (row["tanggal_pengajuan_proyek:date"], parse_kbli(row["kbli"]),
                   parse_money(row["jumlah_investasi"]))  # fmt: skip
        assert out.projects.setdefault(nib, {}).setdefault(project_id, project) == project, project_id
    for row in rows["izin"]:
        nib, permit_id = parse_nib(row["nib"]), str(row["id_permohonan_izin"]).strip()
        if not permit_id:
            out.rejected += 1
        elif nib is None and not str(row["nib"]).strip():  # blank NIB: kept, placed by its own kab/kota
            if in_region(place_key(row["kab_kota"])):
                out.permits.add(permit_id)
        elif nib in out.businesses:
            assert row["tanggal_terbit_oss:date"] == out.businesses[nib][0], permit_id
            out.permits.add(permit_id)
    return out


def scales(count: Recount) -> Counter[str]:
    result = Counter()
    for nib, (_, scale) in count.businesses.items():
        own = count.projects.get(nib, {})
        derived = capital_scale(sum(p[2] for p in own.values())) if own else "tidak_diketahui"
        result[scale or derived] += 1
    return result


def sector_of(kbli: str) -> str:
    division = int(kbli[:2])
    if division in (10, 11, 56):
        return "kuliner"
    return next(letter for letter, low, high in CATEGORY_DIVISIONS if low <= division <= high)


def largest_new_sector(count: Recount) -> str:
    sectors = Counter()
    for nib, (registered, _) in count.businesses.items():
        if (count.latest - registered).days < 365 and nib in count.projects:
            first = min(count.projects[nib].items(), key=lambda item: (item[1][0], item[0]))[1]
            sectors[sector_of(first[1])] += 1
    return sectors.most_common(1)[0][0]


def assert_truth_holds(folder: Path, truth: PermitTruth, region_names: set[str]) -> None:
    count = recount(folder, lambda name: name in region_names)
    assert len(count.businesses) == truth.businesses
    years = Counter(str(registered.year) for registered, _ in count.businesses.values())
    assert dict(sorted(years.items())) == truth.registrations_by_year
    assert count.rejected == truth.rows_rejected
    assert len(count.permits) == truth.permits
    by_scale = scales(count)
    assert {k: by_scale[k] for k in truth.businesses_by_scale} == truth.businesses_by_scale
    assert largest_new_sector(count) == truth.largest_sector_new


# --- tests ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, PermitTruth]:
    folder = tmp_path_factory.mktemp("raw") / "permits"
    return folder, write_permit_exports(folder, "tiny")


def file_bytes(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def test_same_seed_gives_identical_files(tiny: tuple[Path, PermitTruth], tmp_path: Path) -> None:
    folder, truth = tiny
    again = write_permit_exports(tmp_path / "again", "tiny")
    assert again == truth
    assert file_bytes(tmp_path / "again") == file_bytes(folder)
    write_permit_exports(tmp_path / "other", "tiny", seed=7)
    assert file_bytes(tmp_path / "other") != file_bytes(folder)


def test_truth_holds_in_the_files(tiny: tuple[Path, PermitTruth]) -> None:
    folder, truth = tiny
    assert_truth_holds(folder, truth, {"kota balikpapan"})
    assert truth.files_written == len(list(folder.iterdir()))
    assert truth.largest_sector_new == "kuliner"
    assert all(truth.businesses_by_scale.values()), "tiny must hold every scale, tidak_diketahui included"


def test_duplicate_upload_and_headerless_file(tiny: tuple[Path, PermitTruth]) -> None:
    folder, truth = tiny
    by_hash: dict[str, list[str]] = {}
    for name, content in file_bytes(folder).items():
        by_hash.setdefault(hashlib.sha256(content).hexdigest(), []).append(name)
    copies = [names for names in by_hash.values() if len(names) > 1]
    assert len(copies) == truth.duplicate_files == 1
    assert any(name.endswith(" (1).xlsx") for name in copies[0])
    headerless = [p.name for p in folder.iterdir() if read_export(p)[2]]
    assert len(headerless) == 1


def test_indonesian_excel_csv(tiny: tuple[Path, PermitTruth]) -> None:
    folder, _ = tiny
    found = []
    for path in folder.glob("*.csv"):
        raw = path.read_bytes()
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
            found.append(path.name)
            assert ";" in text.splitlines()[0]
            assert "\u2019" in text and "é" in text
            assert re.search(r"^\d,\d\dE\+1\d;", text, re.MULTILINE), "NIB shown as 9,12E+12"
    assert len(found) == 1


def all_cells(folder: Path) -> list[Value]:
    return [cell for path in sorted(folder.iterdir()) for row in read_rows(path) for cell in row]


def test_planted_mess_is_there(tiny: tuple[Path, PermitTruth]) -> None:
    folder, _ = tiny
    cells = all_cells(folder)
    texts = {str(c) for c in cells}
    # title rows and header spellings
    assert "DAFTAR NIB KOTA BALIKPAPAN" in texts and any(t.startswith("Periode: ") for t in texts)
    assert {"NIB", "Nib", "nib", "Day of Tanggal Terbit Oss", "Tanggal Terbit Oss", "KL/Sektor Pembina",
            "kl_sektor", "kl_sektor_pembina", "KAB/KOTA"} <= texts  # fmt: skip
    # numbers that lost their leading zeros: NIB below 13 digits, KBLI below 5
    exports = [read_export(path) for path in folder.glob("*.xlsx")]
    nibs = [row["nib"] for _, rows, _ in exports for row in rows]
    kbli = [row["kbli"] for family, rows, _ in exports if family != "nib" for row in rows]
    assert any(isinstance(n, float) and 10**9 <= n < 10**12 and parse_nib(n) for n in nibs)
    assert any(isinstance(k, float) and 1000 <= k < 10000 for k in kbli)
    # dates: Excel cells, day-first text, two-digit years, Indonesian month names, ISO
    assert any(isinstance(c, dt.date) for c in cells)
    patterns = (r"\d\d/\d\d/\d{4}", r"\d\d/\d\d/\d\d", r"\d{1,2} (Januari|Februari|Maret|April|Mei|Juni|Juli|"
                r"Agustus|September|Oktober|November|Desember) \d{4}", r"\d{1,2} [A-Z][a-z]{2,3} \d{4}",
                r"\d{4}-\d\d-\d\d", r"Rp ?\d{1,3}(\.\d{3})+(,00)?")  # fmt: skip
    for pattern in patterns:
        assert any(re.fullmatch(pattern, t) for t in texts), pattern
    # places spelled loosely, and neighbours the region filter must drop
    assert {"KOTA BALIKPAPAN", "Kota Balikpapan", "Sungai Nangka", "Sungainangka"} <= texts
    assert any(t.startswith("Kec. Balikpapan") for t in texts) and "BALIKPAPAN KOTA" in texts
    assert any("Penajam Paser Utara" in t.title() or "Kutai Kartanegara" in t.title() for t in texts)
    # invalid rows: scientific notation, letters, too long or short, impossible and junk dates
    assert any(re.fullmatch(r"\d\.\d\dE\+1\d", t) for t in texts)
    assert any(re.fullmatch(r"\d{6}O\d{6}", t) for t in texts)
    assert {"-", "belum"} <= texts and any(t.startswith("31/02/") for t in texts)


def reference_file(name: str) -> Path:
    for folder in REFERENCE_DIRS:
        if (folder / name).exists():
            return folder / name
    pytest.skip(f"reference file {name} not found")


def test_codes_and_places_exist_in_the_reference_lists() -> None:
    with reference_file("kbli_2020.csv").open(encoding="utf-8") as handle:
        kbli = {r["kode"]: r for r in csv.DictReader(handle) if r["tingkat"] == "kelompok"}
    for code in KBLI_CODES:
        assert code.code in kbli and kbli[code.code]["kategori"] == code.category, code.code
        assert kbli[code.code]["judul"] == code.title, code.code
    with reference_file("wilayah_kemendagri_2025.csv").open(encoding="utf-8") as handle:
        names = {(r["kode_induk"], r["nama"]): r["kode"] for r in csv.DictReader(handle)}
    for area in (*BALIKPAPAN, *NEAR_BALIKPAPAN, *KALTARA, *NEAR_KALTARA):
        assert names.get((area.code.split(".")[0], area.name)) == area.code
        for kecamatan, villages in area.kecamatan.items():
            kecamatan_code = names[(area.code, kecamatan)]
            assert all((kecamatan_code, village) in names for village in villages), kecamatan


# --- issue 8 and 14: date order per file, NIB shapes by era -------------------------------------------------

# (file of the tiny sample, date column, order its text dates are written in: "mdy", "dmy" or "ambiguous")
DATE_ORDER_CASES = (
    ("Data NIB Kota Balikpapan Triwulan IV 2023.xlsx", "tanggal_terbit_oss", "mdy"),
    ("Daftar Proyek Triwulan IV 2023.xlsx", "tanggal_terbit_oss", "mdy"),
    ("Daftar Proyek Triwulan IV 2023.xlsx", "tanggal_pengajuan_proyek", "mdy"),
    ("NIB Mei 2024.xlsx", "tanggal_terbit_oss", "ambiguous"),
    ("List Izin Mei 2024.xlsx", "tgl_izin", "ambiguous"),
    ("Data NIB Kota Balikpapan 2021.csv", "tanggal_terbit_oss", "dmy"),
    ("List Izin Januari sd Mei 2024.csv", "tgl_izin", "dmy"),
)


@pytest.mark.parametrize(("name", "column", "order"), DATE_ORDER_CASES)
def test_date_order_of_each_export(
    tiny: tuple[Path, PermitTruth], name: str, column: str, order: str
) -> None:
    _, records, _ = read_export(tiny[0] / name)
    values = [r[column] for r in records]
    parts = [p for p in map(slash_parts, values) if p]
    assert parts, "no slash dates"
    assert date_order(values) == order
    if order == "mdy":  # a Tableau download: every date is month-first text, some second part above 12
        assert len(parts) == len(values)
        assert any(second > 12 for _, second in parts)
    if order == "ambiguous":
        assert all(first <= 12 and second <= 12 for first, second in parts)


def test_ambiguous_exports_hold_only_the_evidence_planned(tiny: tuple[Path, PermitTruth]) -> None:
    folder, _ = tiny
    # The NIB list of early May: the NIBs' ddmmyy prefixes agree with the day-first reading only.
    _, records, _ = read_export(folder / "NIB Mei 2024.xlsx")
    votes = Counter()
    for record in records:
        nib, parts = parse_nib(record["nib"]), slash_parts(record["tanggal_terbit_oss"])
        if nib and parts and parts[0] != parts[1] and not nib.startswith(("8120", "9120", "02", "12")):
            day, month = int(nib[:2]), int(nib[2:4])
            votes["dmy" if (day, month) == parts else "mdy" if (month, day) == parts else "neither"] += 1
    assert votes["dmy"] >= 1 and set(votes) == {"dmy"}, votes
    # The permit list of early May: the businesses' dates are Excel date cells, so no text tells the order.
    _, records, _ = read_export(folder / "List Izin Mei 2024.xlsx")
    assert records and all(isinstance(r["tanggal_terbit_oss"], dt.date) for r in records)


def era_prefix_fits(nib: str, issued: dt.date) -> bool:
    """domain.md: 2018-19 begin 8120/9120 (the sample also uses 8120 before 2018); 2020 begin 02; January-July
    2021 begin 12; from August 2021 the first six digits are the issue date ddmmyy."""
    if issued.year < 2020:
        return nib.startswith(("8120", "9120"))
    if issued.year == 2020:
        return nib.startswith("02")
    if issued < dt.date(2021, 8, 1):
        return nib.startswith("12")
    return nib[:6] == issued.strftime("%d%m%y")


def test_nibs_follow_their_era_and_survive_numeric_cells(tiny: tuple[Path, PermitTruth]) -> None:
    folder, truth = tiny
    nibs = [nib for nib, _, _ in truth.registered]
    assert len(set(nibs)) == len(nibs)
    assert not any(nib.startswith("00") for nib in nibs)
    eras, phones = Counter(), 0
    for path in sorted(folder.iterdir()):
        _, records = read_dated(path)
        for record in records:
            cell, nib = record["nib"], parse_nib(record["nib"])
            if isinstance(cell, float):  # an xlsx number: at most one leading zero lost, always restorable
                assert nib is not None and len(str(int(cell))) in (12, 13), (path.name, cell)
            elif re.fullmatch(r"0\d{9,11}", str(cell).strip()):
                phones += 1  # a phone number typed in the NIB column: never a NIB
                assert nib is None
            issued = record["tanggal_terbit_oss:date"]
            if nib and issued:
                assert era_prefix_fits(nib, issued), (path.name, nib, issued)
                eras[ERAS[bisect.bisect_right(ERA_STARTS, issued) - 1]] += 1
    assert phones >= 1
    assert set(eras) == set(ERAS[1:]), eras  # the tiny sample starts in July 2018


ERA_STARTS = (dt.date.min, dt.date(2018, 1, 1), dt.date(2019, 1, 1), dt.date(2020, 1, 1), dt.date(2021, 1, 1),
              dt.date(2021, 8, 1))  # fmt: skip
ERAS = ("before 2018", "2018", "2019", "2020", "2021 Jan-Jul", "OSS RBA")


def test_rows_kept_without_their_business(tiny: tuple[Path, PermitTruth]) -> None:
    """Issue 8: a project or permit whose NIB is blank or garbled is kept (not rejected); one permit of the
    region with a blank NIB is counted by its own kab/kota, the others belong to businesses outside it."""
    kept: Counter[tuple[str, str, bool]] = Counter()
    for path in sorted(tiny[0].iterdir()):
        family, records, _ = read_export(path)
        for record in records:
            own_id = str(record.get("id_permohonan_izin", record.get("id_proyek", ""))).strip()
            if family != "nib" and own_id and parse_nib(record["nib"]) is None:
                place = record.get("kab_kota", record.get("kab_kota_usaha"))
                blank = "blank" if not str(record["nib"]).strip() else "malformed"
                kept[(family, blank, place_key(place) == "kota balikpapan")] += 1
    assert kept == {("izin", "blank", True): 1, ("izin", "blank", False): 1, ("izin", "malformed", False): 1,
                    ("proyek", "malformed", False): 1}  # fmt: skip
