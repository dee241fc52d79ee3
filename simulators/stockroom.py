"""Stock as a location's own system counts it: on hand, quarantined, and a sequence
number per position that goes up with every movement.

The sequence is what a well-behaved source system attaches to each stock report so a
consumer can tell a late report from a new one; the WMS and every POS keep one. Each
movement is told, with its time, to the sync-lag meter when one watches the stockroom
(`simulators/sync_lag.py`): the source's own record of when availability changed, which
the sync lag is measured from. Only the last movement's time is kept here, per position,
and only when a reader asks for it (`keep_move_times`: the projection of a run over an
external hub reads it as a position's source time, `scenarios/live/ground_projection.py`);
a run over the built-in hub reads the hub's own. The sequences and the times are kept by
position in arrays (`ByPosition`), without a key tuple or a dict entry per position
moved.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from simulators.by_position import ByPosition
from simulators.sync_lag import SourceRoom, SyncLagMeter


def _never() -> float:
    return 0.0


@dataclass(slots=True)
class Stockroom:
    on_hand: dict[tuple[str, str], int] = field(default_factory=dict)
    quarantined: dict[tuple[str, str], int] = field(default_factory=dict)
    #: units set aside (picked, held for collection) and no longer sellable (a position
    #: with none is absent, `deallocate`)
    allocated: dict[tuple[str, str], int] = field(default_factory=dict)
    #: position -> its sequence number (none for a position never moved: 0)
    seq: ByPosition[int] = field(default_factory=ByPosition)
    #: the location system's clock, read when a movement is recorded
    clock: Callable[[], float] = _never
    #: whether `last_moved_at` is kept (see the module)
    keep_move_times: bool = False
    #: position -> when its last movement happened (kept with `keep_move_times`)
    last_moved_at: ByPosition[float] = field(default_factory=lambda: ByPosition("d"))
    #: the meter told of every movement, and which source this stockroom is to it
    #: (None: no one measures the sync lag, as some tests build a stockroom)
    sync_lag: SyncLagMeter | None = None
    room: SourceRoom = SourceRoom.DC
    #: the positions moved since a replenisher last looked, while one keeps track
    #: (`simulators/restock.py`); None: no one does
    moved: set[tuple[str, str]] | None = None
    #: location -> its positions, so a snapshot of one store does not scan all 200
    _keys_at: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for key in self.on_hand:
            self._keys_at.setdefault(key[1], []).append(key)

    def sellable(self, key: tuple[str, str]) -> int:
        boxed: Any = key  # one tuple object for the three lookups (see `move`)
        return (
            self.on_hand.get(boxed, 0)
            - self.quarantined.get(boxed, 0)
            - self.allocated.get(boxed, 0)
        )

    def move(self, key: tuple[str, str], delta: int, quarantined_delta: int = 0) -> int:
        """Apply a movement; returns the position's new sequence number.

        Compiled (mypyc), a `tuple[str, str]` is passed unboxed, as its two fields, and
        built again as a tuple object for every dict it is looked up in; held as `Any`
        it is built once, and each dict hashes that one object (`seq` and `last_moved_at`
        take it unboxed, as their two strings)."""
        boxed: Any = key
        on_hand = self.on_hand.get(boxed)
        if on_hand is None:
            on_hand = 0
            self._keys_at.setdefault(key[1], []).append(boxed)
        self.on_hand[boxed] = on_hand + delta
        if quarantined_delta:
            self.quarantined[boxed] = self.quarantined.get(boxed, 0) + quarantined_delta
        seq = self.seq.increment(key[0], key[1])
        moved = self.moved
        if moved is not None:
            moved.add(boxed)
        now = self.clock()
        if self.keep_move_times:
            self.last_moved_at[key] = now
        if self.sync_lag is not None:
            self.sync_lag.moved(self.room, key, seq, now)
        return seq

    def allocate(self, key: tuple[str, str], quantity: int) -> int:
        """Set aside up to `quantity` sellable units; returns how many."""
        granted = max(0, min(quantity, self.sellable(key)))
        if granted:
            boxed: Any = key  # one tuple object for both (see `move`)
            self.allocated[boxed] = self.allocated.get(boxed, 0) + granted
        return granted

    def deallocate(self, key: tuple[str, str], quantity: int) -> None:
        """Release units set aside; a position with none left set aside leaves
        `allocated` (read as 0 all the same): it held a key tuple of its own (the
        caller's, not `on_hand`'s) for every position ever picked, and a peak weekend
        picks from more positions each day while few are set aside at any moment."""
        boxed: Any = key  # one tuple object for both (see `move`)
        left = self.allocated.get(boxed, 0) - quantity
        if left:
            self.allocated[boxed] = left
        else:
            self.allocated.pop(boxed, None)

    def wms_report(self, key: tuple[str, str], ts: float) -> dict[str, Any]:
        boxed: Any = key  # one tuple object for both lookups (see `move`)
        return {
            "item": key[0],
            "onHand": self.on_hand.get(boxed, 0),
            "quarantined": self.quarantined.get(boxed, 0),
            "seq": self.seq.get(key, 0),
            "ts": ts,
        }

    def pos_report(self, key: tuple[str, str], ts: float) -> dict[str, Any]:
        boxed: Any = key  # one tuple object for both lookups (see `move`)
        return {
            "sku": key[0],
            "on_hand": self.on_hand.get(boxed, 0),
            "quarantined": self.quarantined.get(boxed, 0),
            "seq": self.seq.get(key, 0),
            "ts": ts,
        }

    def snapshot_table(self, location: str) -> tuple[tuple[Any, ...], ...]:
        """Every position at a location as the columns (sku, on hand, quarantined, seq),
        a tuple each, the positions in the same order in each: a bulk stock export is a
        table, not a message per position, and by column it holds a pointer per value
        (simulators/stock_table.py says why that matters).

        The keys are read as `Any`: compiled, a `tuple[str, str]` taken from the list
        is unboxed and built again as a new tuple for each lookup."""
        on_hand, quarantined = self.on_hand, self.quarantined
        keys: list[Any] = self._keys_at.get(location, [])
        skus = tuple([key[0] for key in keys])
        return (
            skus,
            tuple([on_hand[key] for key in keys]),
            tuple([quarantined.get(key, 0) for key in keys]),
            tuple(self.seq.values_at(location, skus, 0)),
        )

    def keys_at(self, location: str) -> list[tuple[str, str]]:
        return list(self._keys_at.get(location, ()))
