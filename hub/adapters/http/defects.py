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
