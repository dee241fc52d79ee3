"""A value per stock position, (SKU, location), kept by location and then by SKU.

Why: a position's key is made afresh by whoever names it (a release's line, a feed's
row: `(sku, dc)`), so a dict keyed by the tuple keeps one tuple object per position it
ever held, 64 bytes beside the entry, though its two strings are the world's own. The
positions a stockroom has moved and the ones a channel has reflected grow with the
days (a peak weekend moves positions Friday never touched), and so did those tuples:
kept as a dict per location keyed by the SKU's string, a position costs its entry and
nothing more. Read and written through the tuple as before (`get`, `[key] = value`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Generic, TypeVar

V = TypeVar("V")


class ByPosition(Generic[V]):
    """(sku, location) -> value, as location -> sku -> value."""

    __slots__ = ("_at",)

    def __init__(self) -> None:
        self._at: dict[str, dict[str, V]] = {}

    def get(self, key: tuple[str, str], default: V) -> V:
        at = self._at.get(key[1])
        if at is None:
            return default
        return at.get(key[0], default)

    def find(self, key: tuple[str, str]) -> V | None:
        """The position's value, None if it has none."""
        at = self._at.get(key[1])
        return None if at is None else at.get(key[0])

    def __setitem__(self, key: tuple[str, str], value: V) -> None:
        self.at_for_update(key[1])[key[0]] = value

    def at_for_update(self, location: str) -> dict[str, V]:
        """The location's values by SKU, to read and write in place: one look-up of
        the location where a read then a write of the same position would take two."""
        at = self._at.get(location)
        if at is None:
            at = self._at[location] = {}
        return at

    def at(self, location: str) -> Mapping[str, V]:
        """The location's values by SKU, as they stand (read only)."""
        at = self._at.get(location)
        return {} if at is None else at

    def items(self) -> Iterator[tuple[tuple[str, str], V]]:
        """Every (key, value), location by location, each in the order first set."""
        for location, at in self._at.items():
            for sku, value in at.items():
                yield (sku, location), value

    def __len__(self) -> int:
        return sum(len(at) for at in self._at.values())
