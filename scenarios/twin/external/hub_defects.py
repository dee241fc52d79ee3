"""Every defect the reference hub can be seeded with: the hub's own (docs/invariants.md)
and its HTTP adapter's.

Why a module of its own: `retailtwin hub serve --defect NAME` checks the name when it
parses its options, before the reference hub (and the web framework with it) is
imported.
"""

from __future__ import annotations

from hub.adapters.http.defects import ServerDefect
from hub.policy import KNOWN_DEFECTS

DEFECTS = tuple(sorted(KNOWN_DEFECTS | {defect.value for defect in ServerDefect}))
