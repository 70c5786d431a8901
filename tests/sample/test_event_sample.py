"""The event sample: deterministic; its files give back the published event figures under the stated rules."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
import re
from collections import defaultdict
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook
from rapidfuzz import fuzz

from pipelines.ingest.events import EVENT_INFO, EVENT_PARTICIPANT, EVENT_PARTNER, FAMILIES
from pipelines.ingest.headers import match_header
from pipelines.ingest.spec import Family
from pipelines.sample.events import (
    CASE_AMBIGUOUS,
    CASE_NAME,
    CASE_NIB,
    CASE_SAME_NAME,
    CITY,
    WITH_PERMIT,
    KnownBusiness,
    business_name_key,
    clean_text,
    group_key,
    kecamatan_key,
    labelled_matches,
    msme_key,
    parse_nib,
    write_event_exports,
)
from pipelines.sample.places import BALIKPAPAN_KECAMATAN

DBT_PROJECT = Path(__file__).resolve().parents[2] / "dbt_project"

PUBLISHED = {  # event -> (groups, MSMEs, partners)
    "Expo UMKM Hari Koperasi ke-77": (35, 120, 0),
    "Temu Kemitraan UMKM": (15, 60, 20),
}
TWIN_NIBS = ("0220001110001", "9120001110002")  # same name, different kecamatan
AMBIGUOUS_NIBS = ("0220002220001", "8120002220002")  # same name once normalised, same kecamatan


def known_businesses() -> list[KnownBusiness]:
    """Permit-sample businesses as the caller would pass them, with the two planted hard cases."""
    rng = random.Random(7)
    first = (
        "Sinar",
        "Cahaya",
        "Mutiara",
        "Permata",
        "Bintang",
        "Pelangi",
        "Samudra",
        "Rimba",
        "Gemilang",
        "Lestari",
        "Harapan",
        "Sentosa",
        "Makmur",
        "Abadi",
        "Mulia",
    )
    second = (
        "Kaltim",
        "Nusantara",
        "Timur Raya",
        "Borneo Indah",
        "Sejati",
        "Perkasa",
        "Utama",
        "Persada",
        "Karya",
        "Gemah Ripah",
    )
    names = [f"{a} {b}" for a in first for b in second]
    rng.shuffle(names)
    businesses = []
    for index, name in enumerate(names[:110]):
        form = rng.choice(("UD. ", "CV ", "", "", "PT "))
        nib = rng.choice(("0220", "8120", "9120", "1221")) + f"{rng.randrange(10**9):09d}"  # era prefixes
        text = (form + name).upper() if index % 3 else form + name
        businesses.append(KnownBusiness(nib, text, rng.choice(BALIKPAPAN_KECAMATAN)))
    businesses += [
        KnownBusiness(TWIN_NIBS[0], "UD Dapur Kenari", "Balikpapan Timur"),
        KnownBusiness(TWIN_NIBS[1], "DAPUR KENARI", "Kec. Balikpapan Barat"),
        KnownBusiness(AMBIGUOUS_NIBS[0], "UD. Toko Wijaya Kusuma", "Balikpapan Utara"),
        KnownBusiness(AMBIGUOUS_NIBS[1], "CV TOKO WIJAYA KUSUMA", "BALIKPAPAN UTARA"),
    ]
    return businesses


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    out = tmp_path_factory.mktemp("raw") / "events"
    return out, write_event_exports(out, "balikpapan", known_businesses())


def _cell(value) -> str | None:
    """As the loader lands a cell: numbers without '.0', dates ISO, blank -> None."""
    if value is None or value == "":
        return None
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    text = str(value)
    return text if text.strip() else None


def _find_header(rows: list[list[str | None]]) -> tuple[int, Family]:
    """The loader's rule: the first row naming at least min_header_matches columns of a family."""
    for index, row in enumerate(rows):
        matches, family = max(
            ((sum(1 for n in match_header(row, f) if n), f) for f in FAMILIES), key=lambda s: s[0]
        )
        if matches >= family.min_header_matches:
            return index, family
    raise AssertionError("no header row")


def read_families(path: Path) -> dict[str, list[dict]]:
    """family name -> rows (canonical column -> text, plus _sheet and _row) for one workbook."""
    found: dict[str, list[dict]] = defaultdict(list)
    workbook = CalamineWorkbook.from_path(str(path))
    for sheet_name in workbook.sheet_names:
        rows = [[_cell(v) for v in row] for row in workbook.get_sheet_by_name(sheet_name).to_python()]
        header_index, family = _find_header(rows)
        names = match_header(rows[header_index], family)
        for offset, row in enumerate(rows[header_index + 1 :]):
            if any(row):
                record = {n: row[i] if i < len(row) else None for i, n in enumerate(names) if n}
                found[family.name].append({**record, "_sheet": sheet_name, "_row": header_index + 2 + offset})
    return found


def recompute(out: Path) -> tuple[dict[str, dict], int]:
    """Per event: groups, distinct MSMEs, partners, dates, with the documented rules; plus rejected rows."""
    events, rejected = {}, 0
    for path in sorted(out.iterdir()):
        families = read_families(path)
        (info,) = families[EVENT_INFO.name]
        valid = [r for r in families[EVENT_PARTICIPANT.name] if clean_text(r.get("nama_usaha"))]
        rejected += len(families[EVENT_PARTICIPANT.name]) - len(valid)
        rejected += sum(1 for r in families[EVENT_PARTNER.name] if not clean_text(r.get("nama_perusahaan")))
        events[info["nama_kegiatan"]] = {
            "start": info["tanggal_mulai"],
            "end": info["tanggal_selesai"],
            "venue": info["tempat"],
            "organiser": info["penyelenggara"],
            "groups": len({group_key(r["kelompok_komunitas"]) for r in valid} - {None}),
            "msmes": len({msme_key(r["nama_usaha"], r["kecamatan"], r["nib"]) for r in valid}),
            "partners": len({group_key(r["nama_perusahaan"]) for r in families[EVENT_PARTNER.name]} - {None}),
            "keys": {msme_key(r["nama_usaha"], r["kecamatan"], r["nib"]) for r in valid},
        }
    return events, rejected


def test_same_seed_gives_identical_files(tmp_path):
    known = known_businesses()
    first = write_event_exports(tmp_path / "a", "balikpapan", known)
    second = write_event_exports(tmp_path / "b", "balikpapan", list(reversed(known)))
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "b").iterdir())
    assert len(files) == 2
    for name in files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    assert first == second
    write_event_exports(tmp_path / "c", "balikpapan", known, seed=1)
    assert any((tmp_path / "a" / n).read_bytes() != (tmp_path / "c" / n).read_bytes() for n in files)


def test_files_give_back_the_published_figures(sample):
    out, truth = sample
    events, rejected = recompute(out)
    assert {name: (e["groups"], e["msmes"], e["partners"]) for name, e in events.items()} == PUBLISHED
    assert rejected == truth.rows_rejected == 3
    expo, temu = events["Expo UMKM Hari Koperasi ke-77"], events["Temu Kemitraan UMKM"]
    assert (expo["start"], expo["end"]) == ("2024-07-26", "2024-07-28")
    assert expo["venue"] == "Penta Hub, Mall Pentacity" and expo["organiser"] == "DKUMKMP Kota Balikpapan"
    assert (temu["start"], temu["end"]) == ("23 Mei 2023", None)  # typed text; empty end = one-day event
    assert temu["venue"] == "Ballroom Hotel Platinum"
    assert len(expo["keys"] & temu["keys"]) == truth.msmes_in_both_events > 0
    by_name = {e["name"]: e for e in truth.events}
    for name, (groups, msmes, partners) in PUBLISHED.items():
        assert (by_name[name]["groups"], by_name[name]["msmes"], by_name[name]["partners"]) == (
            groups,
            msmes,
            partners,
        )
    assert (
        by_name["Temu Kemitraan UMKM"]["start_date"]
        == by_name["Temu Kemitraan UMKM"]["end_date"]
        == "2023-05-23"
    )


def test_the_mess_is_there(sample):
    out, _ = sample
    rows = [r for p in out.iterdir() for r in read_families(p)[EVENT_PARTICIPANT.name]]
    nibs = [r["nib"] for r in rows if r["nib"]]
    assert any(n.isdigit() and len(n) == 12 for n in nibs)  # typed as a number: leading zero lost
    assert any(" " in n and parse_nib(n) for n in nibs)
    assert any(not parse_nib(n) for n in nibs)  # "belum ada", "Proses", ...
    assert sum(1 for r in rows if r["nib"] is None) > 50
    groups = [r["kelompok_komunitas"] for r in rows if r["kelompok_komunitas"]]
    assert any(g != g.upper() and g.upper() in groups for g in groups)  # same group, different capitals
    names = [r["nama_usaha"] for r in rows if r["nama_usaha"]]
    assert any(n.upper().startswith(("UD.", "CV ")) for n in names)
    assert any(r["kecamatan"] and r["kecamatan"].startswith("Kec.") for r in rows)
    # Within each event some businesses are listed twice.
    for path in out.iterdir():
        valid = [r for r in read_families(path)[EVENT_PARTICIPANT.name] if clean_text(r["nama_usaha"])]
        keys = [msme_key(r["nama_usaha"], r["kecamatan"], r["nib"]) for r in valid]
        assert len(keys) - len(set(keys)) >= 3


def test_labels_describe_every_valid_row(sample):
    out, truth = sample
    known = {b.nib: b for b in known_businesses()}
    valid = {}
    for path in out.iterdir():
        for r in read_families(path)[EVENT_PARTICIPANT.name]:
            if clean_text(r["nama_usaha"]):
                valid[(path.name, r["_sheet"], r["_row"])] = r
    labels = labelled_matches(truth)
    assert set(labels) == set(valid)
    for label in truth.labels:
        row = valid[(label.file, label.sheet, label.row_number)]
        assert (row["nama_usaha"], row["kecamatan"], row["nib"]) == (
            label.nama_usaha,
            label.kecamatan,
            label.nib,
        )
        assert msme_key(row["nama_usaha"], row["kecamatan"], row["nib"]) == label.msme_key
        if label.case == CASE_NIB:
            assert parse_nib(label.nib) == label.expected_nib
        if label.expected_nib:
            assert label.case in WITH_PERMIT and label.expected_nib in known
            expected = known[label.expected_nib]
            assert kecamatan_key(label.kecamatan) == kecamatan_key(expected.kecamatan)
        else:
            assert label.case not in WITH_PERMIT
    for event in truth.events:
        keys = {
            lab.msme_key for lab in truth.labels if lab.event == event["name"] and lab.case in WITH_PERMIT
        }
        assert len(keys) == event["msmes_with_permit"] > 0
    assert set(truth.hard_cases) == {CASE_SAME_NAME, CASE_AMBIGUOUS}
    twins = [lab for lab in truth.labels if lab.case == CASE_SAME_NAME]
    assert {lab.expected_nib for lab in twins} == set(TWIN_NIBS)
    (ambiguous,) = [lab for lab in truth.labels if lab.case == CASE_AMBIGUOUS]
    assert ambiguous.expected_nib is None and ambiguous.nib is None
    assert ambiguous.review_candidates == tuple(sorted(AMBIGUOUS_NIBS))
    assert business_name_key(ambiguous.nama_usaha) == "TOKO WIJAYA KUSUMA"


def test_a_simple_matcher_recovers_the_name_matches(sample):
    """The documented guarantee: within the kecamatan, the typed key matches its business exactly, or scores
    >= 85 (ratio) and 10 more than any other known business (ratio and token_sort_ratio)."""
    _, truth = sample
    by_kecamatan = defaultdict(list)
    for b in known_businesses():
        by_kecamatan[kecamatan_key(b.kecamatan)].append(b)
    checked = 0
    for label in truth.labels:
        if label.case not in (CASE_NAME, CASE_SAME_NAME):
            continue
        query = business_name_key(label.nama_usaha)
        scores = {
            b.nib: (fuzz.ratio(query, key), max(fuzz.ratio(query, key), fuzz.token_sort_ratio(query, key)))
            for b in by_kecamatan[kecamatan_key(label.kecamatan)]
            if (key := business_name_key(b.name))
        }
        own, _ = scores.pop(label.expected_nib)
        assert own >= 85
        assert all(best <= own - 10 for _, best in scores.values())
        checked += 1
    assert checked >= 10


def test_without_known_businesses_nobody_has_a_permit(tmp_path):
    truth = write_event_exports(tmp_path, "balikpapan", [])
    events, rejected = recompute(tmp_path)
    assert {name: (e["groups"], e["msmes"], e["partners"]) for name, e in events.items()} == PUBLISHED
    assert all(e["msmes_with_permit"] == 0 for e in truth.events)
    assert all(lab.expected_nib is None for lab in truth.labels) and truth.hard_cases == ()
    assert rejected == truth.rows_rejected


def test_other_profiles_are_refused(tmp_path):
    with pytest.raises(ValueError):
        write_event_exports(tmp_path, "kaltara", [])


def test_truth_is_frozen(sample):
    _, truth = sample
    with pytest.raises(dataclasses.FrozenInstanceError):
        truth.rows_rejected = 0  # type: ignore[misc]


def dbt_event_macros():
    """The production rules: dbt_project/macros/events.sql rendered with plain Jinja and the project's vars
    (its generic-test block is dbt-only syntax and is left out)."""
    jinja2 = pytest.importorskip("jinja2")
    yaml = pytest.importorskip("yaml")
    project_vars = yaml.safe_load((DBT_PROJECT / "dbt_project.yml").read_text())["vars"]
    text = (DBT_PROJECT / "macros" / "events.sql").read_text()
    text = re.sub(r"{%-?\s*test\b.*?{%-?\s*endtest\s*-?%}", "", text, flags=re.DOTALL)
    environment = jinja2.Environment()
    environment.globals["var"] = lambda name, default=None: project_vars.get(name, default)
    return environment.from_string(text).module


def test_the_loader_and_the_dbt_macros_give_the_same_figures(sample):
    """Land the files with the real loader, count with the dbt macros: same figures, same rejects."""
    duckdb = pytest.importorskip("duckdb")
    loader = pytest.importorskip("pipelines.ingest.loader")
    from pipelines.ingest.macros import register_macros

    out, truth = sample
    m = dbt_event_macros()
    con = duckdb.connect()
    reports = loader.SourceLoader(con, out.parent, "events", FAMILIES).load_all()
    assert {r.status for r in reports} == {"ingested"}
    assert sum(r.rows_rejected for r in reports) == truth.rows_rejected
    register_macros(con)
    city = f"'{CITY}'"
    figures = con.execute(f"""
        SELECT i.nama_kegiatan, strftime(i.tanggal_mulai, '%Y-%m-%d'),
               strftime(coalesce(i.tanggal_selesai, i.tanggal_mulai), '%Y-%m-%d'),
               (SELECT count(DISTINCT {m.event_group_key("p.kelompok_komunitas")})
                  FROM raw.event_participant p WHERE p._path = i._path),
               (SELECT count(DISTINCT {m.event_msme_key("p.nama_usaha", "p.kecamatan", "p.nib", city)})
                  FROM raw.event_participant p WHERE p._path = i._path),
               (SELECT count(DISTINCT {m.event_group_key("x.nama_perusahaan")})
                  FROM raw.event_partner x WHERE x._path = i._path)
        FROM raw.event_info i ORDER BY 2""").fetchall()
    assert figures == [
        (e["name"], e["start_date"], e["end_date"], e["groups"], e["msmes"], e["partners"])
        for e in truth.events
    ]
    # The SQL macros and the Python reference agree on every row (one query for all rows).
    rows = [r for path in out.iterdir() for r in read_families(path)[EVENT_PARTICIPANT.name]]
    columns = ("nama_usaha", "kecamatan", "nib", "kelompok_komunitas")
    con.execute(
        "CREATE TEMP TABLE typed_back (i INTEGER, nama_usaha VARCHAR, kecamatan VARCHAR, nib VARCHAR, "
        "kelompok_komunitas VARCHAR)"
    )
    con.executemany(
        "INSERT INTO typed_back VALUES (?, ?, ?, ?, ?)",
        [[i, *(r[c] for c in columns)] for i, r in enumerate(rows)],
    )
    # As landed: the loader cleans every text cell and parses the NIB before the macros see them.
    name, kecamatan = "umkm_clean_text(nama_usaha)", "umkm_clean_text(kecamatan)"
    sql = con.execute(f"""
        SELECT {m.event_msme_key(name, kecamatan, "umkm_parse_nib(nib)", city)},
               {m.event_kecamatan_key(kecamatan, city)},
               {m.event_group_key("umkm_clean_text(kelompok_komunitas)")},
               {m.event_name_key(name)}
        FROM typed_back ORDER BY i""").fetchall()
    python = [
        (
            msme_key(r["nama_usaha"], r["kecamatan"], r["nib"]),
            kecamatan_key(r["kecamatan"]),
            group_key(r["kelompok_komunitas"]),
            business_name_key(r["nama_usaha"]),
        )
        for r in rows
    ]
    assert sql == python


@pytest.mark.parametrize(
    "text, expected",
    [
        ("UD. Maju  Jaya", "MAJU JAYA"),
        ("Maju Jaya, CV", "MAJU JAYA"),
        ("cv maju jaya", "MAJU JAYA"),
        ("PT UD Sinar", "UD SINAR"),
        ("CV", None),
        ("-", None),
        ("Dapur Mama's", "DAPUR MAMA S"),
    ],
)
def test_business_name_key(text, expected):
    assert business_name_key(text) == expected
    assert _macro_value("event_name_key", text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Kec. Balikpapan Utara", "BALIKPAPAN UTARA"),
        ("Bpp Utara", "BALIKPAPAN UTARA"),
        ("utara", "BALIKPAPAN UTARA"),
        ("BPP. KOTA", "BALIKPAPAN KOTA"),
        ("Balikpapan  Kota ", "BALIKPAPAN KOTA"),
        ("", None),
        ("Sepinggan", "SEPINGGAN"),
    ],
)
def test_kecamatan_key(text, expected):
    assert kecamatan_key(text) == expected
    assert _macro_value("event_kecamatan_key", text, f"'{CITY}'") == expected


def _macro_value(macro: str, text: str, *args: str) -> str | None:
    """One value through a dbt macro, on landed text (umkm_clean_text'd as the loader does)."""
    duckdb = pytest.importorskip("duckdb")
    from pipelines.ingest.macros import register_macros

    con = duckdb.connect()
    register_macros(con)
    expression = getattr(dbt_event_macros(), macro)("umkm_clean_text(typed)", *args)
    return con.execute(f"SELECT {expression} FROM (SELECT ?::VARCHAR AS typed)", [text]).fetchone()[0]
