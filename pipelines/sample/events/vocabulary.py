"""Words the event sample invents names and cells from (``data/vocabulary.json``): new business names
("{brand}" / "{person}" templates with their product), brands and persons ("{first}": a Faker first name),
products, group prefixes, themes and places, partner companies, streets, mobile prefixes, and what people
type in the NIB column when they have none (with weights)."""

from __future__ import annotations

from pipelines.sample.datafiles import read_json

_DATA = read_json(__file__, "vocabulary.json")
NEW_BUSINESS: list[tuple[str, str]] = [tuple(pair) for pair in _DATA["new_business"]]  # type: ignore[misc]
BRANDS: list[str] = _DATA["brands"]
PERSONS: list[str] = _DATA["persons"]
PRODUCTS: list[str] = _DATA["products"]
GROUP_PREFIXES: list[str] = _DATA["group_prefixes"]
COOP_PREFIXES: list[str] = _DATA["coop_prefixes"]
GROUP_THEMES: list[str] = _DATA["group_themes"]
GROUP_PLACES: list[str] = _DATA["group_places"]
PARTNERS: list[tuple[str, str]] = [tuple(pair) for pair in _DATA["partners"]]  # type: ignore[misc]
STREETS: list[str] = _DATA["streets"]
MOBILE_PREFIXES: list[str] = _DATA["mobile_prefixes"]
NO_NIB_CELLS: list[tuple[str | None, int]] = [tuple(pair) for pair in _DATA["no_nib_cells"]]  # type: ignore[misc]
