"""The cooperative sample: deterministic, and its files (read back on their own) give the published figures.

The recomputation here reads the written files with python-calamine / csv (tests/sample/helpers.py; cells
read with pipelines/sample/cells.py, which holds no counting rule) and applies the rules of
docs/cooperatives.md with its own code, so a bug in the generator's truth computation cannot hide itself.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from pipelines.ingest.cooperatives import COOP_HEALTH, COOP_REGISTRY
from pipelines.ingest.headers import match_header
from pipelines.sample.cells import MONTH_NUMBERS, cell_text, parse_date
from pipelines.sample.cooperatives import CALIBRATION, spelling_classes, write_cooperative_exports
from pipelines.sample.places import BALIKPAPAN_KECAMATAN
from tests.sample.helpers import read_rows

# domain.md's published figures, as the generator's calibration table transcribes them.
PUBLISHED_BALIKPAPAN = CALIBRATION["balikpapan"]
JENIS = {
    "KONSUMEN": "konsumen",
    "KOPERASIKONSUMEN": "konsumen",
    "PRODUSEN": "produsen",
    "JASA": "jasa",
    "SIMPANPINJAM": "simpan_pinjam",
    "PEMASARAN": "pemasaran",
    "KSPPS": "simpan_pinjam_syariah",
    "SIMPANPINJAMSYARIAH": "simpan_pinjam_syariah",
    "SIMPANPINJAMDANPEMBIAYAANSYARIAH": "simpan_pinjam_syariah",
    "KSP": "simpan_pinjam",
    "KOPKONSUMEN": "konsumen",
    "KSPSYARIAH": "simpan_pinjam_syariah",
}
# Status as typed (docs/cooperatives.md and issue 16), after _norm (which drops a bracketed note).
STATUS = {"AKTIF": True, "TIDAKAKTIF": False, "NONAKTIF": False, "TDKAKTIF": False, "PASIF": False}
PREDIKAT = {
    "SEHAT": "sehat",
    "CUKUPSEHAT": "cukup_sehat",
    "DALAMPENGAWASAN": "dalam_pengawasan",
    "DALAMPENGAWASANKHUSUS": "dalam_pengawasan_khusus",
    "KURANGSEHAT": "dalam_pengawasan",
    "TIDAKSEHAT": "dalam_pengawasan_khusus",
    "SANGATTIDAKSEHAT": "dalam_pengawasan_khusus",
}


@pytest.fixture(scope="module")
def balikpapan(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("raw") / "cooperatives"
    return out, write_cooperative_exports(out, "balikpapan")


# ---- reading the files back --------------------------------------------------------------------------


def _norm(value: object) -> str:
    return re.sub(r"[^A-Z0-9]", "", re.sub(r"\(.*?\)", "", (cell_text(value) or "").upper()))


def _int(value: object) -> int | None:
    """Counts and years as typed: 12, '12', '12 orang', 'TB 2023', 'Th. 2022'."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value)
    match = re.fullmatch(r"(?:(?:TB|Th\.)\s*)?(\d+)(?: orang)?", cell_text(value) or "")
    return int(match[1]) if match else None


def _nik(value: object) -> str | None:
    text = str(int(value)) if isinstance(value, float) else re.sub(r"\s", "", str(value or ""))
    return text if re.fullmatch(r"\d{16}", text) else None


# Non-data rows of a register (issue 16), recognised here with rules of this test's own.
NON_DATA = (
    ("column numbers", lambda cells, header: all(re.fullmatch(r"\(\d+\)", c) for c in cells)),
    ("repeated header", lambda cells, header: cells == header),
    ("total", lambda cells, header: re.match(r"(JUMLAH|TOTAL)\b", cells[0]) is not None),
    ("note", lambda cells, header: re.match(r"(Sumber|Keterangan):", cells[0]) is not None),
)


def _non_data(cells: list[str], header: list[str]) -> str | None:
    return next((kind for kind, fits in NON_DATA if fits(cells, header)), None)


def _split(path: Path) -> tuple[str, dt.date | None, list[dict[str, object]], list[str]]:
    """(family name, update date, records keyed by canonical column, kinds of its non-data rows)."""
    rows = read_rows(path)
    for index, row in enumerate(rows):
        cells = [None if c in (None, "") else str(c) for c in row]
        for family in (COOP_REGISTRY, COOP_HEALTH):
            names = match_header(cells, family)
            if sum(1 for n in names if n) >= family.min_header_matches + 3:
                header = [c for c in cells if c]
                records, junk = [], []
                for r in rows[index + 1 :]:
                    filled = [str(v).strip() for v in r if cell_text(v)]
                    if not filled:
                        continue
                    if kind := _non_data(filled, header):
                        junk.append(kind)
                    else:
                        records.append({n: v for n, v in zip(names, r, strict=False) if n})
                titles = " ".join(str(c) for r in rows[:index] for c in r if c)
                return family.name, _update_date(records, titles, path.name), records, junk
    raise AssertionError(f"{path.name}: no header row")


def _read(path: Path) -> tuple[str, dt.date | None, list[dict[str, object]]]:
    family, update, records, _ = _split(path)
    return family, update, records


def _update_date(records: list[dict[str, object]], titles: str, filename: str) -> dt.date | None:
    stated = {parse_date(r.get("tanggal_pemutakhiran")) for r in records} - {None}
    if stated:
        return max(stated)
    if m := re.search(r"(\d{1,2}) ([A-Za-z]+) (\d{4})", titles):
        return dt.date(int(m[3]), MONTH_NUMBERS[m[2].lower()], int(m[1]))
    if m := re.search(r"(\d{4})-(\d{2})-(\d{2})", filename):
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    if m := re.search(r"(\d{4})_(\d{2})", filename):
        year, month = int(m[1]), int(m[2])
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    return None


def _exports(folder: Path) -> dict[str, list[tuple[dt.date | None, str, list[dict[str, object]]]]]:
    found: dict[str, list] = {"coop_registry": [], "coop_health": []}
    for path in sorted(folder.iterdir()):
        family, update, records = _read(path)
        found[family].append((update, path.name, records))
    return found


# ---- the rules ---------------------------------------------------------------------------------------


def _rat_year(record: dict[str, object]) -> int | None:
    year = _int(record.get("tahun_buku_rat_terakhir"))
    if year is None and (held := parse_date(record.get("tanggal_rat"))):
        year = held.year - 1
    return year


def _figures(folder: Path, kecamatan: tuple[str, ...]) -> dict[str, object]:
    exports = _exports(folder)
    update, _, records = max(exports["coop_registry"], key=lambda e: e[0])
    last_closed = update.year - 1
    latest: dict[str, dict[str, object]] = {}
    for record in records:
        if (nik := _nik(record.get("nomor_induk_koperasi"))) is not None:
            latest.setdefault(nik, record)
    known = {_norm(re.sub(r"(?i)^\s*(kecamatan|kec\.)", "", k)): k for k in kecamatan}
    active, by_type, by_district, rat_last, digital = 0, Counter(), Counter(), 0, 0
    for record in latest.values():
        status, rat = _norm(record.get("status_koperasi")), _rat_year(record)
        is_active = STATUS[status] if status else rat is not None and rat >= last_closed - 2
        rat_last += rat is not None and rat >= last_closed
        digital += _norm(record.get("pelaporan_digital")) == "YA"
        if is_active:
            active += 1
            by_type[JENIS[_norm(record.get("jenis_koperasi"))]] += 1
            kec = _norm(re.sub(r"(?i)^\s*(kecamatan|kec\.)", "", cell_text(record.get("kecamatan")) or ""))
            by_district[known.get(kec, "tidak_diketahui") if kec else "tidak_diketahui"] += 1
    health: dict[int, Counter] = {}
    for _, _, rows in exports["coop_health"]:
        for record in rows:
            if (nik := _nik(record.get("nomor_induk_koperasi"))) is None:
                continue
            recorded = _norm(record.get("predikat"))
            if recorded:
                category = PREDIKAT[recorded]
            else:
                mean = (
                    sum(
                        float(str(record[k]).replace(",", "."))
                        for k in (
                            "skor_tata_kelola",
                            "skor_profil_risiko",
                            "skor_kinerja_keuangan",
                            "skor_permodalan",
                        )
                    )
                    / 4
                )
                category = (
                    "sehat"
                    if mean >= 80
                    else "cukup_sehat"
                    if mean >= 66
                    else "dalam_pengawasan"
                    if mean >= 51
                    else "dalam_pengawasan_khusus"
                )
            health.setdefault(_int(record["tahun_penilaian"]), Counter())[category] += 1
    return {
        "update": update,
        "registered": len(latest),
        "active": active,
        "inactive": len(latest) - active,
        "active_by_type": dict(by_type),
        "active_by_district": dict(by_district),
        "rat_last": rat_last,
        "digital": digital,
        "health": health,
    }


# ---- tests -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("profile", ["balikpapan", "kaltara"])
def test_generation_is_byte_identical(tmp_path: Path, profile: str) -> None:
    first = write_cooperative_exports(tmp_path / "a", profile)
    second = write_cooperative_exports(tmp_path / "b", profile)
    assert first == second
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert len(names) == (5 if profile == "balikpapan" else 2)
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_balikpapan_files_give_the_published_figures(balikpapan: tuple[Path, object]) -> None:
    folder, _ = balikpapan
    got = _figures(folder, BALIKPAPAN_KECAMATAN)
    want = PUBLISHED_BALIKPAPAN
    assert got["update"] == dt.date(2024, 7, 15)
    assert (got["registered"], got["active"], got["inactive"]) == (
        want["registered"],
        want["active"],
        want["inactive"],
    )
    assert got["active_by_type"] == want["active_by_type"]
    assert got["active_by_district"] == want["active_by_district"]
    assert got["rat_last"] == want["rat_last_book_year"]
    assert got["digital"] == want["digital_reporting"]
    assert {k: got["health"][2024][k] for k in want["health_2024"]} == want["health_2024"]
    assert sum(got["health"][2024].values()) == 26
    assert got["health"][2023]["sehat"] == want["health_2023_sehat"]


def test_returned_truth_matches_the_files(balikpapan: tuple[Path, object]) -> None:
    folder, truth = balikpapan
    got = _figures(folder, BALIKPAPAN_KECAMATAN)
    assert truth.registered == got["registered"] and truth.active == got["active"]
    assert truth.rat_last_book_year == got["rat_last"] and truth.digital_reporting == got["digital"]
    assert truth.active_by_district == got["active_by_district"]
    for year in (2023, 2024):
        assert {k: v for k, v in truth.health[str(year)].items() if v} == dict(got["health"][year])
    invalid = sum(
        1
        for _, _, records in (e for es in _exports(folder).values() for e in es)
        for r in records
        if _nik(r.get("nomor_induk_koperasi")) is None
    )
    assert truth.rows_rejected == invalid >= 4


def test_kaltara_headline(tmp_path: Path) -> None:
    truth = write_cooperative_exports(tmp_path, "kaltara")
    got = _figures(tmp_path, tuple(k for k in truth.active_by_district if k != "tidak_diketahui"))
    assert got["update"] == dt.date(2020, 6, 30)
    assert {key: got[key] for key in CALIBRATION["kaltara"]} == CALIBRATION["kaltara"]
    assert got["active_by_district"] == truth.active_by_district


def test_every_header_is_declared(balikpapan: tuple[Path, object], tmp_path: Path) -> None:
    write_cooperative_exports(tmp_path, "kaltara")
    for path in [*balikpapan[0].iterdir(), *tmp_path.iterdir()]:
        rows = read_rows(path)
        header = next(r for r in rows if sum(1 for c in r if cell_text(c)) > 5)
        family = COOP_HEALTH if "kesehatan" in path.name.lower() else COOP_REGISTRY
        names = match_header([str(c) for c in header], family)
        assert all(names), (path.name, [c for c, n in zip(header, names, strict=True) if not n])
        assert len(set(names)) == len(names)


def test_earlier_update_differs_realistically(balikpapan: tuple[Path, object]) -> None:
    exports = sorted(_exports(balikpapan[0])["coop_registry"], key=lambda e: e[0])
    assert [e[0] for e in exports] == [dt.date(2023, 12, 31), dt.date(2024, 1, 31), dt.date(2024, 7, 15)]

    def by_nik(records: list[dict[str, object]]) -> dict[str, dict[str, object]]:
        return {n: r for r in records if (n := _nik(r.get("nomor_induk_koperasi")))}

    before, after = by_nik(exports[1][2]), by_nik(exports[2][2])
    assert len(set(after) - set(before)) >= 5  # founded since January
    assert len(set(before) - set(after)) == 1  # left the register
    both = set(before) & set(after)
    status = {
        n: (
            STATUS.get(_norm(before[n].get("status_koperasi"))),
            STATUS.get(_norm(after[n].get("status_koperasi"))),
        )
        for n in both
    }
    assert sum(1 for s in status.values() if s == (True, False)) >= 5
    assert sum(1 for s in status.values() if s == (False, True)) == 1
    kec = {
        n
        for n in both
        if _norm(re.sub(r"(?i)^(kecamatan|kec\.)", "", str(before[n].get("kecamatan") or "")))
        != _norm(re.sub(r"(?i)^(kecamatan|kec\.)", "", str(after[n].get("kecamatan") or "")))
    }
    assert len(kec) == 1
    jenis = {
        n
        for n in both
        if JENIS[_norm(before[n]["jenis_koperasi"])] != JENIS[_norm(after[n]["jenis_koperasi"])]
    }
    assert len(jenis) == 1


# ---- issue 16: registers as offices type them ----------------------------------------------------------

LATEST_BPP = "data_koperasi_balikpapan_2024-07-15.xlsx"
JANUARY_BPP = "Data Koperasi Balikpapan Januari 2024.csv"

# (file, kind of non-data row, how many) - none of them may be a record, a reject or a gap.
NON_DATA_CASES = (
    (LATEST_BPP, "column numbers", 2),  # under the header, and under the header repeated on page 2
    (LATEST_BPP, "repeated header", 1),
    (LATEST_BPP, "total", 3),  # JUMLAH HAL. 1, JUMLAH HAL. 2, TOTAL
    (LATEST_BPP, "note", 2),  # Sumber, Keterangan
    (JANUARY_BPP, "total", 1),
    (JANUARY_BPP, "note", 1),
    ("rekap_koperasi_2023_12.xlsx", "column numbers", 1),
)


@pytest.mark.parametrize(("name", "kind", "count"), NON_DATA_CASES)
def test_non_data_rows_are_planted(balikpapan: tuple[Path, object], name: str, kind: str, count: int) -> None:
    _, _, _, junk = _split(balikpapan[0] / name)
    assert Counter(junk)[kind] == count


def test_page_totals_and_recap_sheet(balikpapan: tuple[Path, object]) -> None:
    workbook = CalamineWorkbook.from_path(str(balikpapan[0] / LATEST_BPP))
    assert workbook.sheet_names == ["Data Koperasi", "Rekap"]  # the recap beside the data
    labels = [str(r[0]) for r in workbook.get_sheet_by_name("Data Koperasi").to_python()]
    assert [label for label in labels if re.match(r"JUMLAH|TOTAL", label)] == [
        "JUMLAH HAL. 1",
        "JUMLAH HAL. 2",
        "TOTAL",
    ]
    recap = workbook.get_sheet_by_name("Rekap").to_python()
    assert ["No", "Kecamatan", "Jumlah Koperasi", "Aktif", "Tidak Aktif"] in recap
    # The office's own recap agrees with the published split (the cooperative without kecamatan is left out).
    active = {r[1]: int(r[3]) for r in recap if r[1] in BALIKPAPAN_KECAMATAN}
    assert active == {k: v for k, v in PUBLISHED_BALIKPAPAN["active_by_district"].items() if k in active}


# (column, spelling as typed, class the rules give it) in the latest Balikpapan register.
SPELLING_CASES = (
    ("status_koperasi", "TDK AKTIF", False),
    ("status_koperasi", "Tdk. Aktif", False),
    ("status_koperasi", "Pasif", False),
    ("status_koperasi", "aktif (RAT 2023)", True),
    ("jenis_koperasi", "KSP", "simpan_pinjam"),
    ("jenis_koperasi", "Kop. Konsumen", "konsumen"),
    ("jenis_koperasi", "KSP Syariah", "simpan_pinjam_syariah"),
    ("bentuk_koperasi", "Koperasi Primer", None),
    ("bentuk_koperasi", "Primer Kota", None),
    ("kab_kota", "Kota Bpp", None),
    ("kab_kota", "Kodya Balikpapan", None),
)


@pytest.mark.parametrize(("column", "spelling", "meaning"), SPELLING_CASES)
def test_spellings_are_planted(balikpapan: tuple[Path, object], column: str, spelling: str, meaning) -> None:
    _, _, records = _read(balikpapan[0] / LATEST_BPP)
    typed = [r for r in records if cell_text(r.get(column)) == spelling]
    assert typed, spelling
    if column == "status_koperasi":
        assert STATUS[_norm(spelling)] is meaning
        if meaning:  # the note names the book year of the cooperative's last RAT
            assert {_rat_year(r) for r in typed} == {2023}
    if column == "jenis_koperasi":
        assert JENIS[_norm(spelling)] == meaning


# (column, pattern of the typed form) - years, dates, money and counts as people write them.
TYPED_FORM_CASES = (
    ("tahun_buku_rat_terakhir", r"TB 20\d\d"),
    ("tahun_buku_rat_terakhir", r"Th\. 20\d\d"),
    ("tanggal_rat", r"\d{1,2} (Mrt|Peb|Agt|Okt|Nop|Des) 20\d\d"),
    ("aset|volume_usaha", r"\d+,\d M"),
    ("aset|volume_usaha", r"\d+ jt"),
    ("anggota_laki_laki", r"\d+ orang"),
)


@pytest.mark.parametrize(("columns", "pattern"), TYPED_FORM_CASES)
def test_typed_forms_are_planted(balikpapan: tuple[Path, object], columns: str, pattern: str) -> None:
    _, _, records = _read(balikpapan[0] / LATEST_BPP)
    cells = [str(r.get(c)) for r in records for c in columns.split("|")]
    assert any(re.fullmatch(pattern, c) for c in cells), pattern


def test_every_planted_spelling_has_the_class_of_the_rules() -> None:
    wrong = [entry for entry in spelling_classes() if entry[1] != entry[2]]
    assert not wrong
