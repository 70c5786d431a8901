"""Sample event attendance lists (Kota Balikpapan) that reproduce the published event figures.

Writes two workbooks into ``out_dir`` (the ``events/`` folder of a raw dir):

- ``Daftar Hadir Temu Kemitraan UMKM 23 Mei 2023.xlsx``: sheets ``Info`` (event header, one row),
  ``Daftar Hadir`` (participants, two title rows above the header), ``Mitra`` (partner companies, one title
  row).
- ``Peserta Expo UMKM Harkop ke-77 Juli 2024.xlsx``: sheets ``Peserta`` (participants, two title rows) and
  ``Kegiatan`` (event header, one row).

The families are declared in ``pipelines/ingest/events.py``. The counting rules the figures below are
computed with live, for production, as dbt macros (``dbt_project/macros/events.sql``); this module keeps their
Python twin (``msme_key``, ``group_key``, ``business_name_key``, ``kecamatan_key``) as the generator's test
oracle, pinned row by row against the rendered macros in ``tests/sample/test_event_sample.py``.

Participants are built from the caller's ``known_businesses`` (businesses that exist in the permit sample):
about 55% typed with their NIB (as text, as a number that lost its leading zero, with spaces, with a leading
apostrophe), about 45% without a NIB but with the name typed loosely (case, "UD."/"CV" added or dropped, at
most one typo), all with the right kecamatan (spelled loosely). Similarity below is rapidfuzz on
business_name_key. A business is typed without NIB only when its key is unique in its kecamatan and no other
known business there scores >= 90 (ratio or token_sort_ratio); a typo is kept only if the typed name still
scores >= 85 (ratio) against its business and at least 10 more than against any other known business in that
kecamatan (ratio and token_sort_ratio); otherwise the name is typed without typo (an exact key
match). Everyone else is a new business without a permit; new names stay below 75 (ratio, token_sort_ratio
and token_set_ratio) against every known name in the whole city. Some businesses (known and new) attend both
events with the same msme_key in both (``EventTruth.msmes_in_both_events``). Two hard cases are planted when
``known_businesses`` contains them (the permit sample should):

- ``same_name_other_kecamatan``: two known businesses whose ``business_name_key`` is equal, in different
  kecamatan; both attend the Expo without NIB; each must be matched to the one in its own kecamatan.
- ``ambiguous_review``: two known businesses with equal ``business_name_key`` in the same kecamatan (different
  NIBs); one Expo participant without NIB carries that name and kecamatan. The matcher must flag it for
  review, not match it: its label has ``expected_nib=None`` and it is NOT counted in ``msmes_with_permit``.

Labels: ``EventTruth.labels`` has one ParticipantLabel per valid participant row (file, sheet, Excel row
number = the loader's ``_row_number``) with the expected NIB or None; ``labelled_matches(truth)`` gives the
plain mapping. Nothing but the exports is written into ``out_dir``.

Deterministic: a fixed seed gives byte-identical files (the order of ``known_businesses`` does not matter).
The workbooks have several sheets, so they are written by ``writers.write_workbook`` (the multi-sheet form of
``writers.write_xlsx``: same cell typing, same fixed creation date).
"""

from __future__ import annotations

import datetime as dt
import random
import re
import string
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from faker import Faker
from rapidfuzz import fuzz, process

from pipelines.sample.quirks import plausible_nib, restore_nib
from pipelines.sample.writers import Cell, SheetSpec, write_workbook

PROFILES = ("balikpapan",)
KECAMATAN = (
    "Balikpapan Timur",
    "Balikpapan Barat",
    "Balikpapan Utara",
    "Balikpapan Tengah",
    "Balikpapan Selatan",
    "Balikpapan Kota",
)
_KECAMATAN_BY_KEY = {k.upper(): k for k in KECAMATAN}

# --- the counting rules' Python twin (test oracle; production: dbt_project/macros/events.sql) --------
# Inputs are cell text as the loader lands it (before its cleaning). The city is Balikpapan's: the dbt macros
# take it from the region (macro event_region_city) and the abbreviations from var event_place_abbreviations.

_WS = re.compile(r"\s+")
_NON_ALNUM = re.compile(r"[^A-Z0-9]+")
_EMPTY = frozenset({"", "-", "--", "null", "n/a", "na", "#n/a", "none", "nan"})
LEGAL_FORMS = frozenset({"UD", "CV", "PT", "PD"})
_DIRECTIONS = frozenset({"TIMUR", "BARAT", "UTARA", "TENGAH", "SELATAN", "KOTA"})
CITY = "BALIKPAPAN"
CITY_ABBREVIATIONS = {"BPP": CITY, "BPN": CITY}


def clean_text(value: str | None) -> str | None:
    """Twin of the SQL macro umkm_clean_text: collapse whitespace, trim, empty-ish -> None."""
    if value is None:
        return None
    text = _WS.sub(" ", str(value)).strip()
    return None if text.lower() in _EMPTY else text


def group_key(value: str | None) -> str | None:
    """Group (and partner) identity: 'Komunitas  Kuliner Bpp ' == 'KOMUNITAS KULINER BPP'.

    dbt: event_group_key.
    """
    text = clean_text(value)
    return text.upper() if text else None


def business_name_key(value: str | None) -> str | None:
    """Business name for dedup: upper case; every run of characters other than A-Z/0-9 becomes one space;
    trimmed; then a first token UD/CV/PT/PD is dropped, then a last token UD/CV/PT/PD (once each).
    'UD. Maju  Jaya' == 'MAJU JAYA' == 'Maju Jaya, CV'. Typos are NOT forgiven here. dbt: event_name_key.
    """
    text = clean_text(value)
    if text is None:
        return None
    tokens = _NON_ALNUM.sub(" ", text.upper()).split()
    if tokens and tokens[0] in LEGAL_FORMS:
        tokens = tokens[1:]
    if tokens and tokens[-1] in LEGAL_FORMS:
        tokens = tokens[:-1]
    return " ".join(tokens) or None


def kecamatan_key(value: str | None) -> str | None:
    """Kecamatan as typed -> upper-case official name when recognisable: upper case; non A-Z/0-9 runs become
    one space; a first token KEC/KECAMATAN is dropped; tokens BPP/BPN become BALIKPAPAN; a lone TIMUR, BARAT,
    UTARA, TENGAH, SELATAN or KOTA gets BALIKPAPAN in front. 'Kec. Bpp Utara', 'utara' -> 'BALIKPAPAN UTARA'.
    dbt: event_kecamatan_key(text, city).
    """
    text = clean_text(value)
    if text is None:
        return None
    tokens = _NON_ALNUM.sub(" ", text.upper()).split()
    if tokens and tokens[0] in {"KEC", "KECAMATAN"}:
        tokens = tokens[1:]
    tokens = [CITY_ABBREVIATIONS.get(t, t) for t in tokens]
    if len(tokens) == 1 and tokens[0] in _DIRECTIONS:
        tokens = [CITY, tokens[0]]
    return " ".join(tokens) or None


def parse_nib(value: str | None) -> str | None:
    """Twin of umkm_parse_nib: drop whitespace, quotes, a trailing '.0'; then 13 digits not beginning with 00,
    or 12 digits not beginning with 0 with its lost zero put back (quirks.restore_nib), whose prefix fits an
    era (quirks.plausible_nib)."""
    if value is None:
        return None
    nib = restore_nib(re.sub(r"\.0+$", "", re.sub(r"[\s'`]", "", str(value).strip())))
    return nib if plausible_nib(nib) else None


def msme_key(nama_usaha: str | None, kecamatan: str | None, nib: str | None) -> str | None:
    """Identity of one MSME within one event: 'NIB:<13 digits>' when the NIB parses, else
    'NAMA:<business_name_key>|<kecamatan_key or empty>'. None for a row without a business name (a reject).
    dbt: event_msme_key(business_name, kecamatan, nib, city).
    """
    name = business_name_key(nama_usaha)
    if name is None:
        return None
    parsed = parse_nib(nib)
    if parsed:
        return f"NIB:{parsed}"
    return f"NAMA:{name}|{kecamatan_key(kecamatan) or ''}"


# Label cases (ParticipantLabel.case).
CASE_NIB = "nib_typed"  # valid NIB typed: expected_nib = that NIB
CASE_NAME = "name_match"  # no valid NIB; loosely typed name + kecamatan identify one known business
# As name_match, but another known business has the same name in another kecamatan.
CASE_SAME_NAME = "same_name_other_kecamatan"
CASE_AMBIGUOUS = "ambiguous_review"  # two known businesses fit equally: expected_nib None, flag for review
CASE_NO_PERMIT = "no_permit"  # new business, not in the permit sample: expected_nib None
WITH_PERMIT = frozenset({CASE_NIB, CASE_NAME, CASE_SAME_NAME})

# Similarity is rapidfuzz ratio and token_sort_ratio (0-100) on business_name_key.
_NEAR = 90  # a known business with a neighbour this similar in its kecamatan is never typed without NIB
_TYPO_FLOOR = 85  # a typo'd name scores at least this against its own business ...
_TYPO_MARGIN = 10  # ... and this much more than against any other known business in its kecamatan
_FAR = 75  # new names stay below this against every known name in the city (also token_set_ratio)
_NAME_SHARE = 0.45  # share of known participants typed without NIB (name match); the rest typed their NIB


@dataclass(frozen=True)
class KnownBusiness:
    """A business that exists in the permit sample."""

    nib: str
    name: str
    kecamatan: str


@dataclass(frozen=True)
class ParticipantLabel:
    """What the matcher should answer for one valid participant row."""

    event: str
    file: str  # file name inside out_dir
    sheet: str
    row_number: int  # 1-based row number as Excel shows it (= the loader's _row_number)
    nama_usaha: str  # as typed
    kecamatan: str | None  # as typed
    nib: str | None  # as the loader lands it (cell text), before parsing
    msme_key: str  # pipelines.ingest.events.msme_key of the row
    expected_nib: str | None  # the permit-sample NIB this business is, None if none (or ambiguous)
    case: str  # one of the CASE_* constants
    repeat_listing: bool  # a second listing of the same MSME within the event
    review_candidates: tuple[str, ...] = ()  # CASE_AMBIGUOUS: the NIBs a reviewer must choose between


@dataclass(frozen=True)
class EventTruth:
    events: list[dict]  # name, start_date, end_date, venue, organiser, file, groups, msmes, partners,
    #                     msmes_with_permit, rows_rejected
    rows_rejected: int
    labels: tuple[ParticipantLabel, ...] = ()
    msmes_in_both_events: int = 0  # equal msme_key in both events
    hard_cases: tuple[str, ...] = ()  # which of CASE_SAME_NAME / CASE_AMBIGUOUS could be planted


@dataclass(frozen=True)
class _EventSpec:
    code: str
    name: str
    start: dt.date
    end: dt.date
    venue: str
    organiser: str
    file_name: str
    n_groups: int
    n_msmes: int
    n_partners: int
    n_known: int  # known (permit) businesses wanted, hard cases excluded
    n_dup_rows: int
    rejected_names: tuple[str | None, ...]  # the Nama Usaha cell of each invalid row
    participant_sheet: str
    participant_header: tuple[str, ...]
    title_rows: tuple[str, ...]
    info_sheet: str
    info_header: tuple[str, ...]
    info_row: tuple[Cell, ...]
    partner_sheet: str | None = None
    partner_header: tuple[str, ...] = ()
    partner_titles: tuple[str, ...] = ()


ORGANISER = "DKUMKMP Kota Balikpapan"
TEMU = _EventSpec(
    code="temu",
    name="Temu Kemitraan UMKM",
    start=dt.date(2023, 5, 23),
    end=dt.date(2023, 5, 23),
    venue="Ballroom Hotel Platinum",
    organiser=ORGANISER,
    file_name="Daftar Hadir Temu Kemitraan UMKM 23 Mei 2023.xlsx",
    n_groups=15,
    n_msmes=60,
    n_partners=20,
    n_known=22,
    n_dup_rows=3,
    rejected_names=("-",),
    participant_sheet="Daftar Hadir",
    participant_header=(
        "NO.",
        "NAMA USAHA",
        "NAMA PEMILIK",
        "KOMUNITAS",
        "PRODUK",
        "NO. HP/WA",
        "KECAMATAN",
        "NIB",
    ),
    title_rows=(
        "DAFTAR HADIR PESERTA TEMU KEMITRAAN UMKM",
        "Ballroom Hotel Platinum Balikpapan, Selasa 23 Mei 2023",
    ),
    info_sheet="Info",
    info_header=("Kegiatan", "Tgl Mulai", "Tgl Selesai", "Lokasi", "Penyelenggara"),
    # A one-day event: end date left empty (end = start), start typed as Indonesian text.
    info_row=("Temu Kemitraan UMKM", "23 Mei 2023", None, "Ballroom Hotel Platinum", ORGANISER),
    partner_sheet="Mitra",
    partner_header=("No", "Nama Perusahaan", "Jenis Mitra", "Alamat", "Nama PIC", "No HP"),
    partner_titles=("DAFTAR MITRA / BAPAK ANGKAT TEMU KEMITRAAN UMKM 2023",),
)
EXPO = _EventSpec(
    code="expo",
    name="Expo UMKM Hari Koperasi ke-77",
    start=dt.date(2024, 7, 26),
    end=dt.date(2024, 7, 28),
    venue="Penta Hub, Mall Pentacity",
    organiser=ORGANISER,
    file_name="Peserta Expo UMKM Harkop ke-77 Juli 2024.xlsx",
    n_groups=35,
    n_msmes=120,
    n_partners=0,
    n_known=40,
    n_dup_rows=6,
    rejected_names=(None, " "),
    participant_sheet="Peserta",
    participant_header=(
        "No",
        "Nama Usaha",
        "Nama Pemilik",
        "Kelompok/Komunitas",
        "Produk",
        "No HP",
        "Kecamatan",
        "NIB",
    ),
    title_rows=(
        "DAFTAR PESERTA EXPO UMKM HARI KOPERASI KE-77",
        "PENTA HUB, MALL PENTACITY BALIKPAPAN, 26 - 28 JULI 2024",
    ),
    info_sheet="Kegiatan",
    info_header=("Nama Kegiatan", "Tanggal Mulai", "Tanggal Selesai", "Tempat", "Penyelenggara"),
    info_row=(
        "Expo UMKM Hari Koperasi ke-77",
        dt.date(2024, 7, 26),
        dt.date(2024, 7, 28),
        "Penta Hub, Mall Pentacity",
        ORGANISER,
    ),
)
N_REPEAT_KNOWN = 6  # known businesses at both events (scaled down when known_businesses is short)
N_REPEAT_NEW = 6  # new businesses at both events
N_SHARED_GROUPS = 6  # communities present at both events

# --- vocabulary --------------------------------------------------------------------------------

_NEW_BUSINESS = (
    ("Amplang {brand}", "Amplang ikan"),
    ("Kue {brand}", "Kue basah"),
    ("Keripik {brand}", "Keripik pisang"),
    ("Dapur {person}", "Katering rumahan"),
    ("Warung {person}", "Nasi kuning"),
    ("Kedai Kopi {brand}", "Kopi"),
    ("Batik {brand}", "Batik Kaltim"),
    ("Sambal {person}", "Sambal botolan"),
    ("Rumah Jahit {person}", "Jahit"),
    ("{brand} Craft", "Kerajinan manik-manik"),
    ("Madu Kelulut {brand}", "Madu kelulut"),
    ("Kerupuk {brand}", "Kerupuk ikan"),
    ("Roti {brand}", "Roti dan kue"),
    ("Jamu {person}", "Jamu tradisional"),
    ("Frozen Food {brand}", "Makanan beku"),
    ("Anyaman {brand}", "Anyaman rotan"),
    ("Es Teh {brand}", "Minuman"),
    ("Bakso {person}", "Bakso"),
    ("Abon {brand}", "Abon ikan"),
    ("Catering {person}", "Katering"),
    ("Tenun {brand}", "Kain tenun"),
    ("Pempek {person}", "Pempek"),
    ("Herbal {brand}", "Minuman herbal"),
    ("Kue Kering {person}", "Kue kering"),
    ("Gorengan {person}", "Gorengan"),
    ("Bolu {brand}", "Bolu"),
    ("Souvenir {brand}", "Souvenir"),
    ("Hijab {brand}", "Hijab"),
    ("Ikan Asin {brand}", "Ikan asin"),
)
_BRANDS = (
    "Etam",
    "Borneo",
    "Manggar",
    "Bunda {first}",
    "Mama {first}",
    "Beruang Madu",
    "Pesisir",
    "Teluk",
    "Kilo Lima",
    "Benua Etam",
    "Mandau",
    "Sepinggan",
    "Khatulistiwa",
    "Lamaru",
    "Sumber Rejeki",
    "Berkah {first}",
    "Barokah",
    "Mekar Sari",
    "Sinar Pagi",
    "{first} Jaya",
    "Dua Saudara",
    "Tiga Putri",
    "Citra Rasa",
    "Anugrah {first}",
    "Delima",
    "Kenanga",
    "Cahaya {first}",
    "{first}",
    "Teritip",
    "Enggang",
)
_PERSONS = (
    "Bu {first}",
    "Mbak {first}",
    "Mama {first}",
    "Pak {first}",
    "{first}",
    "Acil {first}",
    "Kak {first}",
)
_PRODUCTS = (
    "Amplang",
    "Kue kering",
    "Kue basah",
    "Keripik",
    "Sambal",
    "Kopi bubuk",
    "Madu kelulut",
    "Batik",
    "Tenun",
    "Kerajinan manik",
    "Pakaian muslim",
    "Minuman herbal",
    "Makanan beku",
    "Abon ikan",
    "Roti",
    "Souvenir",
    "Kerupuk",
    "Jamu",
    "Katering",
    "Hidroponik",
    "Sabun herbal",
    "Anyaman",
)
_GROUP_PREFIXES = ("Komunitas", "Kel.", "KUB", "Kelompok Usaha", "Paguyuban", "Komunitas UMKM")
_COOP_PREFIXES = ("Koperasi Produsen", "Koperasi Konsumen", "Koperasi Serba Usaha", "Kopwan")
_GROUP_THEMES = (
    "Kuliner",
    "Kriya",
    "Batik",
    "Fashion Muslim",
    "Amplang",
    "Olahan Ikan",
    "Kopi",
    "Herbal",
    "Kue Kering",
    "Wanita Tani",
    "Manik-Manik",
    "Daur Ulang",
    "Sambal",
    "Madu Kelulut",
    "Anyaman",
    "Tenun",
    "Frozen Food",
    "Jamu",
    "Snack",
    "Hidroponik",
    "PKK",
    "Ibu Rumah Tangga",
    "Pemuda Kreatif",
    "Kerajinan Rotan",
)
_GROUP_PLACES = (
    "Bpp",
    "Balikpapan",
    "Manggar",
    "Klandasan",
    "Sepinggan",
    "Karang Joang",
    "Gunung Samarinda",
    "Baru Ulu",
    "Prapatan",
    "Damai",
    "Gn. Bahagia",
    "Lamaru",
    "Teritip",
    "Margomulyo",
    "Muara Rapak",
    "Batu Ampar",
    "Sumber Rejo",
    "Telaga Sari",
    "Karang Rejo",
    "Graha Indah",
    "Kariangau",
    "Marga Sari",
)
_PARTNERS = (
    ("Hotel Bahtera Borneo", "Hotel"),
    ("Hotel Teluk Manggar", "Hotel"),
    ("Grand Klandasan Hotel", "Hotel"),
    ("Hotel Sepinggan Indah", "Hotel"),
    ("Hotel Pesisir Etam", "Hotel"),
    ("Sinar Borneo Hotel", "Hotel"),
    ("Hotel Melati Prapatan", "Hotel"),
    ("Hotel Dermaga Kilo", "Hotel"),
    ("PT Swalayan Sinar Manggar", "Supermarket"),
    ("Supermarket Segar Jaya", "Supermarket"),
    ("Toserba Gunung Sari", "Supermarket"),
    ("Swalayan Damai Indah", "Supermarket"),
    ("Borneo Fresh Mart", "Supermarket"),
    ("Supermarket Karang Joang", "Supermarket"),
    ("Mall Teluk Balikpapan", "Mall"),
    ("Plaza Klandasan Raya", "Mall"),
    ("Sepinggan Square Mall", "Mall"),
    ("Borneo City Mall", "Mall"),
    ("Pesisir Trade Center", "Mall"),
    ("Mall Etam Raya", "Mall"),
)
_STREETS = (
    "Jl. Jenderal Sudirman",
    "Jl. MT Haryono",
    "Jl. Soekarno-Hatta",
    "Jl. Ahmad Yani",
    "Jl. Marsma R. Iswahyudi",
    "Jl. Mulawarman",
    "Jl. Pangeran Antasari",
    "Jl. Letjend Suprapto",
)
_MOBILE_PREFIXES = ("0811", "0812", "0813", "0821", "0822", "0852", "0853", "0857", "0877", "0878", "0896")
_NO_NIB_CELLS = ((None, 65), ("-", 15), ("belum ada", 8), ("Proses", 6), ("BELUM PUNYA", 6))


# --- the generator -----------------------------------------------------------------------------


@dataclass(eq=False)
class _Msme:
    ident: int
    case: str
    base_name: str  # the name as this business's people type it (already loose / with a typo)
    kecamatan: str | None  # official name; None = left blank
    product: str
    owner: str
    mobile: str
    nib: str | None = None  # typed only in CASE_NIB
    expected_nib: str | None = None
    groups: dict[str, str] = field(default_factory=dict)  # event code -> group display name
    review_candidates: tuple[str, ...] = ()


def write_event_exports(
    out_dir: Path, profile: str, known_businesses: Sequence[KnownBusiness], seed: int = 20240726
) -> EventTruth:
    if profile not in PROFILES:
        raise ValueError(f"no event sample for profile {profile!r}; known: {', '.join(PROFILES)}")
    return _Generator(seed, known_businesses).write(Path(out_dir))


def labelled_matches(truth: EventTruth) -> dict[tuple[str, str, int], str | None]:
    """(file, sheet, row_number) -> expected NIB (None: no permit, or ambiguous and to be reviewed)."""
    return {(lab.file, lab.sheet, lab.row_number): lab.expected_nib for lab in truth.labels}


class _Generator:
    def __init__(self, seed: int, known_businesses: Sequence[KnownBusiness]):
        self.rng = random.Random(seed)
        self.fake = Faker("id_ID")
        self.fake.seed_instance(seed)
        unique: dict[str, KnownBusiness] = {}
        for business in sorted(known_businesses, key=lambda b: (str(b.nib), b.name, b.kecamatan)):
            nib = parse_nib(str(business.nib))
            if nib and business_name_key(business.name) and nib not in unique:
                unique[nib] = KnownBusiness(nib, business.name, business.kecamatan)
        self.known = list(unique.values())
        self.known_keys = [business_name_key(b.name) or "" for b in self.known]
        self.known_kec = [_KECAMATAN_BY_KEY.get(kecamatan_key(b.kecamatan) or "") for b in self.known]
        self.by_kec: dict[str | None, list[int]] = defaultdict(list)
        for index, kecamatan in enumerate(self.known_kec):
            self.by_kec[kecamatan].append(index)
        self.kec_keys = {kec: [self.known_keys[i] for i in indices] for kec, indices in self.by_kec.items()}
        self.same_key_count = Counter(zip(self.known_kec, self.known_keys, strict=True))
        self.distinct_known_keys = sorted(set(self.known_keys))
        self.used_keys: set[str] = set()
        self.new_keys: list[str] = []
        self.next_ident = 0

    # --- choosing businesses ---

    def _similar_in_kecamatan(self, query: str, kecamatan: str, cutoff: float = 0) -> dict[int, float]:
        """Known businesses of one kecamatan scoring at least cutoff (best of ratio, token_sort_ratio)."""
        indices, choices = self.by_kec[kecamatan], self.kec_keys[kecamatan]
        found: dict[int, float] = {}
        for scorer in (fuzz.ratio, fuzz.token_sort_ratio):
            for _, score, position in process.extract(
                query, choices, scorer=scorer, limit=3, score_cutoff=cutoff
            ):
                index = indices[position]
                found[index] = max(score, found.get(index, 0))
        return found

    def _alone_in_kecamatan(self, index: int) -> bool:
        """No other known business in the same kecamatan has a close name: a name match can be unambiguous."""
        kecamatan, key = self.known_kec[index], self.known_keys[index]
        if self.same_key_count[(kecamatan, key)] > 1:
            return False
        return list(self._similar_in_kecamatan(key, kecamatan, _NEAR)) == [index]

    def _hard_cases(self) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
        by_key: dict[str, list[int]] = defaultdict(list)
        for index, key in enumerate(self.known_keys):
            if self.known_kec[index]:
                by_key[key].append(index)
        ambiguous = same_name = None
        twin_checks = 0
        for key in sorted(by_key):
            members = by_key[key]
            by_kec: dict[str, list[int]] = defaultdict(list)
            for index in members:
                by_kec[self.known_kec[index]].append(index)
            if ambiguous is None:
                pairs = [v for _, v in sorted(by_kec.items()) if len(v) >= 2]
                if pairs:
                    ambiguous = (pairs[0][0], pairs[0][1])
            # Twins in two kecamatan, each without a close name in its own kecamatan.
            if same_name is None and len(members) == 2 and len(by_kec) == 2 and twin_checks < 200:
                twin_checks += 1
                if all(self._alone_in_kecamatan(i) for i in members):
                    same_name = (members[0], members[1])
        if ambiguous and same_name and set(ambiguous) & set(same_name):
            same_name = None
        return same_name, ambiguous

    def _regular_pool(self, exclude: set[int], wanted: int) -> tuple[list[int], list[int]]:
        """(typed with NIB, matched by name): any known business can be typed with its NIB; name matches
        only use businesses alone with their name in their kecamatan."""
        order = [i for i in range(len(self.known)) if self.known_kec[i] and i not in exclude]
        self.rng.shuffle(order)
        total = min(wanted, len(order))
        names_wanted = round(total * _NAME_SHARE)
        by_nib: list[int] = []
        by_name: list[int] = []
        for checked, index in enumerate(order):
            if len(by_name) < names_wanted and checked < 10 * wanted and self._alone_in_kecamatan(index):
                by_name.append(index)
            elif len(by_nib) < total - names_wanted:
                by_nib.append(index)
            if len(by_nib) + len(by_name) >= total:
                break
        # Too few names alone in their kecamatan: the rest typed their NIB.
        chosen = set(by_nib) | set(by_name)
        by_nib += [i for i in order if i not in chosen][: total - len(by_nib) - len(by_name)]
        return by_nib, by_name

    def _msme(self, case: str, base_name: str, kecamatan: str | None, product: str, **kw) -> _Msme:
        self.next_ident += 1
        return _Msme(
            self.next_ident, case, base_name, kecamatan, product, self.fake.name(), self.mobile(), **kw
        )

    def _known_msme(self, index: int, with_nib: bool) -> _Msme:
        business = self.known[index]
        name = self._loose_name(index, typo_share=0.25 if with_nib else 0.45)
        self.used_keys.add(business_name_key(name) or "")
        return self._msme(
            CASE_NIB if with_nib else CASE_NAME,
            name,
            self.known_kec[index],
            self.rng.choice(_PRODUCTS),
            nib=business.nib if with_nib else None,
            expected_nib=business.nib,
        )

    def _loose_name(self, index: int, typo_share: float) -> str:
        """The known name as a person would type it; any typo keeps it clearly closest to its business."""
        target = self.known_keys[index]
        for _ in range(8):
            name = _retype(self.rng, self.known[index].name)
            if self.rng.random() < typo_share:
                name = _typo(self.rng, name)
            key = business_name_key(name)
            if not key or (key in self.used_keys and key != target):
                continue
            score = fuzz.ratio(key, target)
            others = self._similar_in_kecamatan(key, self.known_kec[index])
            best_other = max((v for i, v in others.items() if i != index), default=0)
            if score >= _TYPO_FLOOR and best_other <= score - _TYPO_MARGIN:
                return name
        return string.capwords(self.known[index].name.lower())

    def _new_msmes(self, count: int) -> list[_Msme]:
        """New businesses: names unused, far from every known name in the city, not near each other."""
        made: list[_Msme] = []
        for _ in range(50):
            candidates = [self._new_name() for _ in range(max(2 * (count - len(made)), 20))]
            keys = [business_name_key(name) or "" for name, _ in candidates]
            far = self._far_from_known(keys)
            for (name, product), key, is_far in zip(candidates, keys, far, strict=True):
                if len(made) == count:
                    return made
                if not key or key in self.used_keys or not is_far:
                    continue
                if self.new_keys and process.extractOne(
                    key, self.new_keys, scorer=fuzz.ratio, score_cutoff=90
                ):
                    continue
                self.used_keys.add(key)
                self.new_keys.append(key)
                kecamatan = None if self.rng.random() < 0.02 else self.rng.choice(KECAMATAN)
                made.append(self._msme(CASE_NO_PERMIT, name, kecamatan, product))
            if len(made) == count:
                return made
        raise RuntimeError("cannot invent business names far enough from every known business")

    def _new_name(self) -> tuple[str, str]:
        template, product = self.rng.choice(_NEW_BUSINESS)
        brand = self.rng.choice(_BRANDS).replace("{first}", self.fake.first_name())
        person = self.rng.choice(_PERSONS).replace("{first}", self.fake.first_name())
        name = template.format(brand=brand, person=person)
        if self.rng.random() < 0.12:
            name = self.rng.choice(("UD. ", "UD ", "CV ", "CV. ")) + name
        return name, product

    def _far_from_known(self, keys: list[str]) -> list[bool]:
        """Per key: below _FAR against every known name (ratio, token_sort_ratio, token_set_ratio)."""
        far = [True] * len(keys)
        if not self.distinct_known_keys:
            return far
        for scorer in (fuzz.ratio, fuzz.token_sort_ratio, fuzz.token_set_ratio):
            rows = [i for i, ok in enumerate(far) if ok]  # each scorer only sees the survivors
            if not rows:
                break
            scores = process.cdist(
                [keys[i] for i in rows],
                self.distinct_known_keys,
                scorer=scorer,
                score_cutoff=_FAR,
                dtype="uint8",
                workers=-1,
            )
            for row, best in zip(rows, scores.max(axis=1), strict=True):
                far[row] = best < _FAR
        return far

    # --- building the events ---

    def write(self, out_dir: Path) -> EventTruth:
        same_name, ambiguous = self._hard_cases()
        hard: list[_Msme] = []
        hard_cases: list[str] = []
        if same_name:
            hard_cases.append(CASE_SAME_NAME)
            for index in same_name:
                self.used_keys.add(self.known_keys[index])
                hard.append(
                    self._msme(
                        CASE_SAME_NAME,
                        _retype(self.rng, self.known[index].name),
                        self.known_kec[index],
                        self.rng.choice(_PRODUCTS),
                        expected_nib=self.known[index].nib,
                    )
                )
        if ambiguous:
            hard_cases.append(CASE_AMBIGUOUS)
            first = ambiguous[0]
            self.used_keys.add(self.known_keys[first])
            hard.append(
                self._msme(
                    CASE_AMBIGUOUS,
                    _retype(self.rng, self.known[first].name),
                    self.known_kec[first],
                    self.rng.choice(_PRODUCTS),
                    review_candidates=tuple(sorted(self.known[i].nib for i in ambiguous)),
                )
            )

        wanted = EXPO.n_known + TEMU.n_known - N_REPEAT_KNOWN
        exclude = set(same_name or ()) | set(ambiguous or ())
        by_nib, by_name = self._regular_pool(exclude, wanted)
        known = [self._known_msme(i, with_nib=True) for i in by_nib]
        known += [self._known_msme(i, with_nib=False) for i in by_name]
        self.rng.shuffle(known)
        total = len(known)
        n_both = round(total * N_REPEAT_KNOWN / wanted)
        n_expo_only = round(total * (EXPO.n_known - N_REPEAT_KNOWN) / wanted)
        known_both, known_expo, known_temu = (
            known[:n_both],
            known[n_both : n_both + n_expo_only],
            known[n_both + n_expo_only :],
        )

        n_new_expo = EXPO.n_msmes - len(hard) - len(known_both) - len(known_expo) - N_REPEAT_NEW
        n_new_temu = TEMU.n_msmes - len(known_both) - len(known_temu) - N_REPEAT_NEW
        new = self._new_msmes(N_REPEAT_NEW + n_new_expo + n_new_temu)
        new_both, new_expo, new_temu = (
            new[:N_REPEAT_NEW],
            new[N_REPEAT_NEW : N_REPEAT_NEW + n_new_expo],
            new[N_REPEAT_NEW + n_new_expo :],
        )

        repeats = known_both + new_both
        expo_msmes = [*hard, *known_expo, *new_expo, *repeats]
        temu_msmes = [*known_temu, *new_temu, *repeats]
        expo_groups, temu_groups = self._group_names()
        self._assign_groups(EXPO, expo_msmes, expo_groups, repeats, set())
        shared = {m.groups[EXPO.code] for m in repeats} & set(temu_groups)
        self._assign_groups(TEMU, temu_msmes, temu_groups, repeats, shared)

        out_dir.mkdir(parents=True, exist_ok=True)
        labels: list[ParticipantLabel] = []
        events = []
        keys: dict[str, set[str]] = {}
        for spec, msmes in ((TEMU, temu_msmes), (EXPO, expo_msmes)):
            rows, event_labels = self._participant_rows(spec, msmes)
            sheets = [
                SheetSpec(spec.info_sheet, spec.info_header, [spec.info_row]),
                SheetSpec(spec.participant_sheet, spec.participant_header, rows, spec.title_rows),
            ]
            if spec.partner_sheet:
                sheets.append(
                    SheetSpec(
                        spec.partner_sheet, spec.partner_header, self._partner_rows(), spec.partner_titles
                    )
                )
            if spec is EXPO:
                sheets = [sheets[1], sheets[0]]  # the Expo list opens on its participants
            write_workbook(out_dir / spec.file_name, sheets)
            labels.extend(event_labels)
            keys[spec.code] = {lab.msme_key for lab in event_labels}
            with_permit = {lab.msme_key for lab in event_labels if lab.case in WITH_PERMIT}
            groups = {group_key(m.groups[spec.code]) for m in msmes}
            if len(keys[spec.code]) != spec.n_msmes or len(groups) != spec.n_groups:
                raise AssertionError(f"{spec.name}: built {len(keys[spec.code])} MSMEs, {len(groups)} groups")
            events.append(
                {
                    "name": spec.name,
                    "start_date": spec.start.isoformat(),
                    "end_date": spec.end.isoformat(),
                    "venue": spec.venue,
                    "organiser": spec.organiser,
                    "file": spec.file_name,
                    "groups": spec.n_groups,
                    "msmes": spec.n_msmes,
                    "partners": spec.n_partners,
                    "msmes_with_permit": len(with_permit),
                    "rows_rejected": len(spec.rejected_names),
                }
            )
        both = keys[EXPO.code] & keys[TEMU.code]
        if len(both) != len(repeats):
            raise AssertionError(f"{len(both)} MSMEs at both events, planned {len(repeats)}")
        return EventTruth(
            events=events,
            rows_rejected=sum(e["rows_rejected"] for e in events),
            labels=tuple(labels),
            msmes_in_both_events=len(both),
            hard_cases=tuple(hard_cases),
        )

    def _group_names(self) -> tuple[list[str], list[str]]:
        needed = EXPO.n_groups + TEMU.n_groups - N_SHARED_GROUPS
        names = ["Komunitas Kuliner Bpp"]
        seen = {group_key(names[0])}
        while len(names) < needed:
            if self.rng.random() < 0.25:
                name = f"{self.rng.choice(_COOP_PREFIXES)} {self.rng.choice(_GROUP_THEMES)} "
                name += self.rng.choice(_GROUP_PLACES)
            else:
                name = f"{self.rng.choice(_GROUP_PREFIXES)} {self.rng.choice(_GROUP_THEMES)} "
                name += self.rng.choice(_GROUP_PLACES)
            if group_key(name) not in seen:
                seen.add(group_key(name))
                names.append(name)
        expo = names[: EXPO.n_groups]
        temu = [*expo[:N_SHARED_GROUPS], *names[EXPO.n_groups :]]
        return expo, temu

    def _assign_groups(
        self, spec: _EventSpec, msmes: list[_Msme], groups: list[str], repeats: list[_Msme], keep: set[str]
    ) -> None:
        repeat_ids = {m.ident for m in repeats}
        fixed = [m for m in msmes if m.ident in repeat_ids and m.groups.get(EXPO.code) in keep]
        for msme in fixed:
            msme.groups[spec.code] = msme.groups[EXPO.code]
        free = [m for m in msmes if spec.code not in m.groups and m.ident not in repeat_ids]
        self.rng.shuffle(free)
        covered = {m.groups[spec.code] for m in fixed}
        missing = [g for g in groups if g not in covered]
        for msme, group in zip(free, missing, strict=False):
            msme.groups[spec.code] = group
        for msme in msmes:
            if spec.code not in msme.groups:
                msme.groups[spec.code] = self.rng.choice(groups)

    def _participant_rows(self, spec: _EventSpec, msmes: list[_Msme]) -> tuple[list[list[Cell]], list]:
        event_groups = sorted({m.groups[spec.code] for m in msmes})
        self.rng.shuffle(event_groups)  # the order the groups registered in
        group_order = {g: i for i, g in enumerate(event_groups)}
        listing = sorted(msmes, key=lambda m: (group_order[m.groups[spec.code]], self.rng.random()))
        entries: list[tuple[_Msme | None, bool, str]] = [(m, False, m.groups[spec.code]) for m in listing]
        # The same business listed twice: late additions further down, in the same group (once in another).
        candidates = [m for m in listing if m.case in (CASE_NIB, CASE_NAME, CASE_NO_PERMIT) and m.kecamatan]
        with_nib = [m for m in candidates if m.case == CASE_NIB][: 2 if spec.n_dup_rows > 3 else 1]
        others = [m for m in candidates if m.case != CASE_NIB]
        self.rng.shuffle(others)
        dups = [*with_nib, *others[: spec.n_dup_rows - len(with_nib)]]
        for number, msme in enumerate(dups):
            position = next(i for i, e in enumerate(entries) if e[0] is msme)
            group = msme.groups[spec.code] if number else self.rng.choice(event_groups)
            entries.insert(self.rng.randint(position + 1, len(entries)), (msme, True, group))
        for _ in spec.rejected_names:
            entries.insert(
                self.rng.randint(3, len(entries) - 1), (None, False, self.rng.choice(event_groups))
            )
        rejected = iter(spec.rejected_names)

        first_row = len(spec.title_rows) + 3 if spec.title_rows else 2
        rows: list[list[Cell]] = []
        labels: list[ParticipantLabel] = []
        for offset, (msme, repeat, group) in enumerate(entries):
            number = offset + 1
            if msme is None:
                rows.append(
                    [
                        number,
                        next(rejected),
                        self.fake.name(),
                        _group_cell(self.rng, group),
                        self.rng.choice(_PRODUCTS),
                        self._phone_cell(self.mobile()),
                        _kecamatan_cell(self.rng, self.rng.choice(KECAMATAN)),
                        None,
                    ]
                )
                continue
            name = _same_name(self.rng, msme.base_name, cosmetic=repeat or self.rng.random() < 0.3)
            kecamatan = _kecamatan_cell(self.rng, msme.kecamatan) if msme.kecamatan else None
            nib_cell = _nib_cell(self.rng, msme.nib) if msme.nib else _pick(self.rng, _NO_NIB_CELLS)
            owner = msme.owner.upper() if repeat and self.rng.random() < 0.5 else msme.owner
            rows.append(
                [
                    number,
                    name,
                    owner,
                    _group_cell(self.rng, group),
                    msme.product,
                    self._phone_cell(msme.mobile),
                    kecamatan,
                    nib_cell,
                ]
            )
            nib_text = _cell_text(nib_cell)
            key = msme_key(name, kecamatan, nib_text)
            if key is None or (msme.case == CASE_NIB) != key.startswith("NIB:"):
                raise AssertionError(f"row {name!r} built with a wrong key {key!r}")
            labels.append(
                ParticipantLabel(
                    event=spec.name,
                    file=spec.file_name,
                    sheet=spec.participant_sheet,
                    row_number=first_row + offset,
                    nama_usaha=name,
                    kecamatan=kecamatan,
                    nib=nib_text,
                    msme_key=key,
                    expected_nib=msme.expected_nib,
                    case=msme.case,
                    repeat_listing=repeat,
                    review_candidates=msme.review_candidates,
                )
            )
        return rows, labels

    def _partner_rows(self) -> list[list[Cell]]:
        rows: list[list[Cell]] = []
        partners = list(_PARTNERS[: TEMU.n_partners])
        self.rng.shuffle(partners)
        # One partner signed in twice (typed in capitals the second time).
        partners.insert(self.rng.randint(10, len(partners)), (partners[2][0].upper() + " ", partners[2][1]))
        for number, (name, kind) in enumerate(partners, start=1):
            kind_cell = kind.upper() if self.rng.random() < 0.2 else kind
            address = f"{self.rng.choice(_STREETS)} No. {self.rng.randint(1, 250)}, Balikpapan"
            rows.append([number, name, kind_cell, address, self.fake.name(), self._phone_cell(self.mobile())])
        return rows

    def mobile(self) -> str:
        return self.rng.choice(_MOBILE_PREFIXES) + self.fake.numerify("#" * self.rng.choice((7, 8)))

    def _phone_cell(self, mobile: str) -> Cell:
        """Phone numbers as typed: grouped, plain, +62, a number that lost its 0, a landline, or nothing."""
        style = self.rng.random()
        if style < 0.12:
            return None
        if style < 0.27:
            return int(mobile)  # typed into a number cell: the leading 0 is gone
        if style < 0.35:
            return self.fake.phone_number()
        if style < 0.45:
            return f"+62 {mobile[1:4]}-{mobile[4:8]}-{mobile[8:]}"
        if style < 0.70:
            return f"{mobile[:4]}-{mobile[4:8]}-{mobile[8:]}"
        if style < 0.80:
            return f"{mobile[:4]} {mobile[4:8]} {mobile[8:]}"
        return mobile


# --- typing mess (each function keeps the identity key it must keep; asserted) --------------------

_LEADING_FORM = re.compile(r"^\s*(UD|CV|PT|PD)\b\.?,?\s*", re.IGNORECASE)
_TRAILING_FORM = re.compile(r",?\s*\b(UD|CV|PT|PD)\.?\s*$", re.IGNORECASE)


def _retype(rng: random.Random, name: str) -> str:
    """Case and legal-form changes only: business_name_key is unchanged."""
    text = " ".join(name.split())
    roll = rng.random()
    if roll < 0.45:
        text = string.capwords(text.lower())
    elif roll < 0.65:
        text = text.upper()
    elif roll < 0.72:
        text = text.lower()
    roll = rng.random()
    if roll < 0.30:
        text = _TRAILING_FORM.sub("", _LEADING_FORM.sub("", text)) or text
    elif roll < 0.45 and not _LEADING_FORM.match(text):
        text = rng.choice(("UD. ", "UD ", "CV ", "CV. ")) + text
    return text if business_name_key(text) == business_name_key(name) else name


def _same_name(rng: random.Random, base: str, cosmetic: bool) -> str:
    """Another listing of the same business: same business_name_key (case, spaces, UD./CV)."""
    if not cosmetic:
        return base
    roll = rng.random()
    if roll < 0.3:
        text = base.upper()
    elif roll < 0.5:
        text = string.capwords(base.lower())
    elif roll < 0.65:
        text = base.replace(" ", "  ", 1) + " "
    elif roll < 0.85 and not _LEADING_FORM.match(base):
        text = rng.choice(("UD. ", "UD ", "CV ")) + base
    else:
        text = _LEADING_FORM.sub("", base) or base
    return text if business_name_key(text) == business_name_key(base) else base


def _typo(rng: random.Random, text: str) -> str:
    """At most one slip of the finger in one word of five letters or more."""
    words = text.split(" ")
    candidates = [
        i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha() and w.upper() not in LEGAL_FORMS
    ]
    if not candidates:
        return text
    index = rng.choice(candidates)
    word = words[index]
    pos = rng.randrange(1, len(word) - 1)
    op = rng.choice(("drop", "swap", "vowel", "double"))
    if op == "drop":
        word = word[:pos] + word[pos + 1 :]
    elif op == "swap":
        word = word[:pos] + word[pos + 1] + word[pos] + word[pos + 2 :]
    elif op == "double":
        word = word[:pos] + word[pos] + word[pos:]
    else:
        swaps = {"a": "e", "e": "a", "i": "e", "o": "u", "u": "o"}
        vowels = [i for i in range(1, len(word)) if word[i].lower() in swaps]
        if vowels:
            i = rng.choice(vowels)
            new = swaps[word[i].lower()]
            word = word[:i] + (new.upper() if word[i].isupper() else new) + word[i + 1 :]
    words[index] = word
    return " ".join(words)


def _group_cell(rng: random.Random, group: str) -> str:
    roll = rng.random()
    if roll < 0.60:
        text = group
    elif roll < 0.80:
        text = group.upper()
    elif roll < 0.85:
        text = group.lower()
    elif roll < 0.90:
        text = string.capwords(group.lower())
    elif roll < 0.95:
        text = group.replace(" ", "  ", 1)
    else:
        text = group + " "
    if group_key(text) != group_key(group):
        raise AssertionError(f"group spelling {text!r} changed its identity")
    return text


def _kecamatan_cell(rng: random.Random, official: str) -> str:
    direction = official.split()[-1]
    options = [
        (official, 40),
        (official.upper(), 15),
        (f"Kec. {official}", 8),
        (f"Bpp {direction}", 10),
        (f"BPP. {direction.upper()}", 3),
        (official.lower(), 7),
        (official.replace(" ", "  "), 5),
    ]
    if direction != "Kota":
        options.append((direction, 7))  # a lone "Kota" would read as the city
    text = _pick(rng, options)
    if kecamatan_key(text) != official.upper():
        raise AssertionError(f"kecamatan spelling {text!r} does not normalise to {official}")
    return text


def _nib_cell(rng: random.Random, nib: str) -> Cell:
    """A valid NIB as typed: text, a number (leading zero lost), with spaces, or with Excel's apostrophe."""
    number_share = 50 if nib.startswith("0") and not nib.startswith("00") else 25
    style = _pick(rng, (("number", number_share), ("text", 45), ("spaced", 20), ("apostrophe", 10)))
    if style == "number" and len(str(int(nib))) >= 10:
        return int(nib)
    if style == "spaced":
        return f"{nib[:4]} {nib[4:8]} {nib[8:]}"
    if style == "apostrophe":
        return "'" + nib
    return nib


def _pick(rng: random.Random, weighted: Sequence[tuple[Cell, int]]) -> Cell:
    values = [v for v, _ in weighted]
    return rng.choices(values, weights=[w for _, w in weighted])[0]


def _cell_text(value: Cell) -> str | None:
    """What the loader lands for a cell we write (python-calamine reads numbers back as floats)."""
    if value is None:
        return None
    if isinstance(value, int | float):
        return str(int(value))
    return value if str(value).strip() else None
