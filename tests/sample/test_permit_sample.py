"""The permit sample: reproducible bytes, the planted mess, and a truth the written files really hold.

The reader below re-implements the pipeline's rules (listed in ``_truth`` in pipelines/sample/permits.py)
from scratch on the files as written, without the generator's records, so a generator bug cannot hide behind
its own bookkeeping. Run it on a big profile by hand with ``assert_truth_holds(folder, truth, names)``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from pipelines.sample.permits import (
    BALIKPAPAN,
    KALTARA,
    KBLI_CODES,
    NEAR_BALIKPAPAN,
    NEAR_KALTARA,
    PermitTruth,
    write_permit_exports,
)

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


def read_cells(path: Path) -> list[list[Value]]:
    if path.suffix == ".xlsx":
        return CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    delimiter = ";" if text.count(";") > text.count(",") else ","
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


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
    cells = read_cells(path)
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
    text = str(value).strip().replace(" ", "").replace("'", "").removesuffix(".0")
    return text.zfill(13) if re.fullmatch(r"\d{10,13}", text) else None


def parse_date(value: Value) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", text):
        year, month, day = (int(g) for g in m.groups())
    elif m := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})", text):
        day, month, year = (int(g) for g in m.groups())
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


def recount(folder: Path, in_region: Callable[[str], bool]) -> Recount:
    """Apply the pipeline's rules to the files; byte-identical re-uploads are read once."""
    out, seen = Recount(), set()
    rows: dict[str, list[dict[str, Value]]] = {"nib": [], "proyek": [], "izin": []}
    for path in sorted(folder.iterdir()):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest in seen:
            continue
        seen.add(digest)
        family, records, _ = read_export(path)
        rows[family].extend(records)
    for row in rows["nib"]:
        nib, registered = parse_nib(row["nib"]), parse_date(row["tanggal_terbit_oss"])
        if nib is None or registered is None:
            out.rejected += 1
            continue
        out.latest = max(out.latest, registered)
        if in_region(place_key(row["kab_kota"])):
            seen_before = out.businesses.setdefault(nib, (registered, scale_of(row["uraian_skala_usaha"])))
            # Overlapping exports must agree on what the truth depends on.
            assert seen_before == (registered, scale_of(row["uraian_skala_usaha"])), nib
    for row in rows["proyek"]:
        nib, project_id = parse_nib(row["nib"]), str(row["id_proyek"]).strip()
        if nib is None or not project_id:
            out.rejected += 1
            continue
        project = (parse_date(row["tanggal_pengajuan_proyek"]), parse_kbli(row["kbli"]),
                   parse_money(row["jumlah_investasi"]))  # fmt: skip
        assert out.projects.setdefault(nib, {}).setdefault(project_id, project) == project, project_id
    for row in rows["izin"]:
        nib, permit_id = parse_nib(row["nib"]), str(row["id_permohonan_izin"]).strip()
        if nib is None or not permit_id:
            out.rejected += 1
        elif nib in out.businesses:
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
    return [cell for path in sorted(folder.iterdir()) for row in read_cells(path) for cell in row]


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
