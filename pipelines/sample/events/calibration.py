"""The published event figures the sample reproduces (domain.md) and how many of each kind of participant
the plan plants to reach them."""

from __future__ import annotations

PROFILES = ("balikpapan",)

# Event code -> published (groups, MSMEs, partners).
PUBLISHED = {"temu": (15, 60, 20), "expo": (35, 120, 0)}
# Event code -> (known permit businesses wanted, hard cases excluded; repeat listings of an MSME).
PLANTED = {"temu": (22, 3), "expo": (40, 6)}
N_REPEAT_KNOWN = 6  # known businesses at both events (scaled down when known_businesses is short)
N_REPEAT_NEW = 6  # new businesses at both events
N_SHARED_GROUPS = 6  # communities present at both events
