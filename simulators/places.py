"""Each distinct value once, in the order first given, and its place: how a packed
record names a value it repeats (a return's lines, a notice's status, an order ref's
prefix) in a small number instead of holding it again.

Kept once here: the channels' packed returns (`simulators/channel_returns.py`) and the
checker's lists by order ref (`scenarios/checking/ref_slots.py`) both number values so.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

H = TypeVar("H", bound=Hashable)


class Places(Generic[H]):
    """Each distinct value once, in the order first given (`values`), and its place."""

    __slots__ = ("_places", "values")

    def __init__(self) -> None:
        self.values: list[H] = []
        self._places: dict[H, int] = {}

    def place(self, value: H) -> int:
        """`value`'s place, given it now if it has none yet."""
        place = self._places.get(value)
        if place is None:
            place = self._places[value] = len(self.values)
            self.values.append(value)
        return place

    def get(self, value: H) -> int | None:
        """`value`'s place, None if it was never given one."""
        return self._places.get(value)


__all__ = ["Places"]
