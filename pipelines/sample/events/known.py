"""The known businesses (from the permit sample) indexed for the choices the generator makes: their keys and
kecamatan, which names are close within a kecamatan, the planted hard cases, names far from every known one.

Similarity is rapidfuzz ratio and token_sort_ratio (0-100) on business_name_key; nothing here draws at random.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence

from rapidfuzz import fuzz, process

from pipelines.sample.events.rules import business_name_key, kecamatan_key, parse_nib
from pipelines.sample.events.truth import KnownBusiness
from pipelines.sample.places import BALIKPAPAN_KECAMATAN

_KECAMATAN_BY_KEY = {k.upper(): k for k in BALIKPAPAN_KECAMATAN}
NEAR = 90  # a known business with a neighbour this similar in its kecamatan is never typed without NIB
FAR = 75  # new names stay below this against every known name in the city (also token_set_ratio)


class KnownIndex:
    def __init__(self, known_businesses: Sequence[KnownBusiness]) -> None:
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

    def similar_in_kecamatan(self, query: str, kecamatan: str, cutoff: float = 0) -> dict[int, float]:
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

    def alone_in_kecamatan(self, index: int) -> bool:
        """No other known business in the same kecamatan has a close name: a name match can be unambiguous."""
        kecamatan, key = self.known_kec[index], self.known_keys[index]
        if self.same_key_count[(kecamatan, key)] > 1:
            return False
        return list(self.similar_in_kecamatan(key, kecamatan, NEAR)) == [index]

    def hard_cases(self) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
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
                if all(self.alone_in_kecamatan(i) for i in members):
                    same_name = (members[0], members[1])
        if ambiguous and same_name and set(ambiguous) & set(same_name):
            same_name = None
        return same_name, ambiguous

    def far_from_known(self, keys: list[str]) -> list[bool]:
        """Per key: below FAR against every known name (ratio, token_sort_ratio, token_set_ratio)."""
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
                score_cutoff=FAR,
                dtype="uint8",
                workers=-1,
            )
            for row, best in zip(rows, scores.max(axis=1), strict=True):
                far[row] = best < FAR
        return far

    # --- building the events ---
