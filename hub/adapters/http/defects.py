"""Faults the reference hub's HTTP adapter can be seeded with, for negative controls.

Why a module of its own: `retailtwin hub serve --defect` checks a name against these
when it parses its options, before the web framework (`service.py`) is imported.
"""

from __future__ import annotations

from enum import StrEnum


class ServerDefect(StrEnum):
    """Faults seeded into the HTTP adapter, for negative controls."""

    #: answer every webhook 200 at once, before the hub has it, and never hand every
    #: fiftieth to the hub at all: acknowledged, then lost
    ACK_THEN_DROP = "ack_then_drop"
    #: hand every webhook to the hub only `SLOW_WALL_S` after it arrived: a hub that
    #: loses nothing but is slow, whose lag the SLAs must charge to it
    SLOW = "slow"


#: wall seconds SLOW holds each webhook: at 200x (the speed tests/e2e/test_external_hub.py
#: judges at), 80 simulated seconds, more than steady-day's 60-second sync-lag SLA allows
#: from a movement to every channel's view
SLOW_WALL_S = 0.4
