"""A stand-in for the built-in hub's process that fails any look at it: what a hub in
another process is to the twin. Put in its place, it proves that whatever then runs
(the ground-truth judgement, the ground projection) never reads the hub."""

from __future__ import annotations

from typing import Any


class HubOutOfReach:
    """Any attribute read fails the test, as it would fail for a hub that runs
    somewhere else."""

    def __getattribute__(self, name: str) -> Any:
        raise AssertionError(f"the hub is out of reach, yet its {name!r} was read")
