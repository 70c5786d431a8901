"""Synthetic sample exports in the real formats (Faker id_ID; no real personal data), seeded, deterministic.

`umkm sample --profile balikpapan --out data/raw` writes permits/, cooperatives/ and events/ under the folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

SOURCES = ("permits", "cooperatives", "events")
STAMP = ".sample"


def write_sample(profile: str, out_dir: Path) -> None:
    """Replace the source folders under out_dir with the profile's sample; refuses to overwrite real data."""
    out_dir.mkdir(parents=True, exist_ok=True)
    stamp = out_dir / STAMP
    existing = [s for s in SOURCES if (out_dir / s).exists()]
    if existing and not stamp.exists():
        raise ValueError(
            f"{out_dir} already holds {', '.join(existing)} that `umkm sample` did not write; "
            "choose an empty --out folder"
        )
    for source in SOURCES:
        shutil.rmtree(out_dir / source, ignore_errors=True)
    stamp.unlink(missing_ok=True)

    from pipelines.sample.cooperatives import COOP_PROFILES, write_cooperative_exports
    from pipelines.sample.events import KnownBusiness, write_event_exports
    from pipelines.sample.permits import PROFILES, write_permit_exports

    if profile not in PROFILES:
        raise ValueError(f"unknown sample profile {profile!r}; choose one of {', '.join(PROFILES)}")
    permits = write_permit_exports(out_dir / "permits", profile)
    if profile in COOP_PROFILES:
        write_cooperative_exports(out_dir / "cooperatives", profile)
    if profile == "balikpapan":  # the two published events are Balikpapan's
        known = [KnownBusiness(nib, name, kecamatan) for nib, name, kecamatan in permits.registered]
        write_event_exports(out_dir / "events", profile, known)
    stamp.write_text(f"profile={profile}\n")
