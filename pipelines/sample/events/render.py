"""The rows of the participant and partner sheets, as people fill in an attendance list: groups in the order
they registered, late repeat listings, rows without a business name, loosely typed cells; and the label of
every valid participant row (the NIB the matcher should find)."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from faker import Faker

from pipelines.sample.chance import band
from pipelines.sample.events.layouts import TEMU, EventSpec
from pipelines.sample.events.rules import msme_key
from pipelines.sample.events.truth import CASE_NAME, CASE_NIB, CASE_NO_PERMIT, ParticipantLabel
from pipelines.sample.events.typos import group_cell, kecamatan_cell, landed_text, nib_cell, pick, same_name
from pipelines.sample.events.vocabulary import MOBILE_PREFIXES, NO_NIB_CELLS, PARTNERS, PRODUCTS, STREETS
from pipelines.sample.places import BALIKPAPAN_KECAMATAN
from pipelines.sample.writers import Cell

if TYPE_CHECKING:
    from pipelines.sample.events.build import Msme

Entry = tuple["Msme | None", bool, str]  # (participant or None: a row without a name, repeat listing?, group)
# How a mobile number is typed: nothing, a number cell (the leading 0 lost), a number Faker makes up, +62,
# grouped by dashes, grouped by spaces, plain; a roll of random() picks by these upper bounds.
_PHONE_BOUNDS = (0.12, 0.27, 0.35, 0.45, 0.70, 0.80)
_FAKER_PHONE = 2


class ListRenderer:
    """Mixed into the generator: draws from its rng and fake in the order the rows are written."""

    rng: random.Random
    fake: Faker

    def mobile(self) -> str:
        return self.rng.choice(MOBILE_PREFIXES) + self.fake.numerify("#" * self.rng.choice((7, 8)))

    def participant_rows(self, spec: EventSpec, msmes: list[Msme]) -> tuple[list[list[Cell]], list]:
        entries = self._listing(spec, msmes)
        rejected = iter(spec.rejected_names)
        first_row = len(spec.title_rows) + 3 if spec.title_rows else 2
        rows: list[list[Cell]] = []
        labels: list[ParticipantLabel] = []
        for offset, (msme, repeat, group) in enumerate(entries):
            number = offset + 1
            if msme is None:
                rows.append(self._nameless_row(number, next(rejected), group))
                continue
            row = self._participant_row(number, msme, repeat, group)
            rows.append(row)
            labels.append(_label(spec, first_row + offset, msme, repeat, row))
        return rows, labels

    def _listing(self, spec: EventSpec, msmes: list[Msme]) -> list[Entry]:
        """The list in writing order: groups in the order they registered, repeat listings, nameless rows."""
        event_groups = sorted({m.groups[spec.code] for m in msmes})
        self.rng.shuffle(event_groups)  # the order the groups registered in
        group_order = {g: i for i, g in enumerate(event_groups)}
        listing = sorted(msmes, key=lambda m: (group_order[m.groups[spec.code]], self.rng.random()))
        entries: list[Entry] = [(m, False, m.groups[spec.code]) for m in listing]
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
        return entries

    def _nameless_row(self, number: int, name: str | None, group: str) -> list[Cell]:
        """A row whose Nama Usaha is blank or '-': rejected by the loader."""
        return [
            number,
            name,
            self.fake.name(),
            group_cell(self.rng, group),
            self.rng.choice(PRODUCTS),
            self._phone_cell(self.mobile()),
            kecamatan_cell(self.rng, self.rng.choice(BALIKPAPAN_KECAMATAN)),
            None,
        ]

    def _participant_row(self, number: int, msme: Msme, repeat: bool, group: str) -> list[Cell]:
        name = same_name(self.rng, msme.base_name, cosmetic=repeat or self.rng.random() < 0.3)
        kecamatan = kecamatan_cell(self.rng, msme.kecamatan) if msme.kecamatan else None
        nib = nib_cell(self.rng, msme.nib) if msme.nib else pick(self.rng, NO_NIB_CELLS)
        owner = msme.owner.upper() if repeat and self.rng.random() < 0.5 else msme.owner
        return [
            number,
            name,
            owner,
            group_cell(self.rng, group),
            msme.product,
            self._phone_cell(msme.mobile),
            kecamatan,
            nib,
        ]

    def partner_rows(self) -> list[list[Cell]]:
        rows: list[list[Cell]] = []
        partners = list(PARTNERS[: TEMU.n_partners])
        self.rng.shuffle(partners)
        # One partner signed in twice (typed in capitals the second time).
        partners.insert(self.rng.randint(10, len(partners)), (partners[2][0].upper() + " ", partners[2][1]))
        for number, (name, kind) in enumerate(partners, start=1):
            kind_cell = kind.upper() if self.rng.random() < 0.2 else kind
            address = f"{self.rng.choice(STREETS)} No. {self.rng.randint(1, 250)}, Balikpapan"
            rows.append([number, name, kind_cell, address, self.fake.name(), self._phone_cell(self.mobile())])
        return rows

    def _phone_cell(self, mobile: str) -> Cell:
        """Phone numbers as typed: grouped, plain, +62, a number that lost its 0, a landline, or nothing."""
        style = band(self.rng.random(), _PHONE_BOUNDS)
        if style == _FAKER_PHONE:
            return self.fake.phone_number()
        return (
            None,
            int(mobile),
            None,
            f"+62 {mobile[1:4]}-{mobile[4:8]}-{mobile[8:]}",
            f"{mobile[:4]}-{mobile[4:8]}-{mobile[8:]}",
            f"{mobile[:4]} {mobile[4:8]} {mobile[8:]}",
            mobile,
        )[style]


def _label(spec: EventSpec, row_number: int, msme: Msme, repeat: bool, row: list[Cell]) -> ParticipantLabel:
    """What the matcher should answer for the row; its msme_key must agree with how the NIB was typed."""
    name, kecamatan = row[1], row[6]
    nib_text = landed_text(row[7])
    key = msme_key(name, kecamatan, nib_text)  # type: ignore[arg-type]
    if key is None or (msme.case == CASE_NIB) != key.startswith("NIB:"):
        raise AssertionError(f"row {name!r} built with a wrong key {key!r}")
    return ParticipantLabel(
        event=spec.name,
        file=spec.file_name,
        sheet=spec.participant_sheet,
        row_number=row_number,
        nama_usaha=name,  # type: ignore[arg-type]
        kecamatan=kecamatan,  # type: ignore[arg-type]
        nib=nib_text,
        msme_key=key,
        expected_nib=msme.expected_nib,
        case=msme.case,
        repeat_listing=repeat,
        review_candidates=msme.review_candidates,
    )
