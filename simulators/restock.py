"""Which positions a replenishment round looks at: the ones moved since the last round.

The DCs' and the stores' replenishers (`Wms.replenisher`, `Pos.replenisher`) top each
position below its reorder point back up to its target, location by location, every
few hours. Walking every position for that made each round cost the estate's size, not
the day's trade: black-friday's stores range about 150,000 positions at full scale,
3.4 times as many as at half scale, while the day sells twice as much, and the store
rounds cost 0.89 s at half scale and 4.09 s at full scale (sources, cProfile). Most
positions do not move between two rounds, and one that has not moved cannot have fallen
below its reorder point since the round before looked at it (a stockroom's counts
change only by `Stockroom.move`, and the targets are fixed for the day). So the first
round looks at every position, and each later round only at those the stockroom
reports moved since the round before began (`Stockroom.moved`), but for the round
before's own top-ups (`RestockRounds.due`), in the same order as a walk of them all:
locations in the targets' order, each location's positions in the targets' order, which
is the SKUs' order. Where the targets list some location's positions in another order,
the order a sort cannot reproduce, every round walks them all, as before.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from simulators.stockroom import Stockroom

Key = tuple[str, str]


def _sku_ranks(by_location: Mapping[str, list[Key]]) -> dict[str, int] | None:
    """Each SKU's place in one order consistent with every location's positions (a SKU
    ranked at its first appearance), or None if the locations list their SKUs in orders
    that disagree."""
    rank: dict[str, int] = {}
    for keys in by_location.values():
        for key in keys:
            rank.setdefault(key[0], len(rank))
    for keys in by_location.values():
        last = -1
        for key in keys:
            if rank[key[0]] <= last:
                return None
            last = rank[key[0]]
    return rank


class RestockRounds:
    """The positions each round of one replenisher looks at (see the module)."""

    __slots__ = ("_by_location", "_first", "_rank", "_stock", "_targets")

    def __init__(self, stock: Stockroom, targets: Mapping[Key, int]) -> None:
        self._stock = stock
        self._targets = targets
        by_location: dict[str, list[Key]] = {}
        for key in targets:
            by_location.setdefault(key[1], []).append(key)
        self._by_location = by_location
        # a stockroom tells one replenisher its moves: a second walks all, every round
        self._rank = _sku_ranks(by_location) if stock.moved is None else None
        self._first = True
        if self._rank is not None:
            stock.moved = set()

    def due(self) -> Iterator[tuple[str, list[Key]]]:
        """This round's locations and their positions to look at, in the walk's order.

        The round's own top-ups are left out of the next round: the caller walks them
        all at once (no SimPy step in between, so nothing else moves stock), and a
        top-up fills a position to its target, which no round tops up again until
        something else moves it (and then it is in the next round's moves)."""
        stock, rank = self._stock, self._rank
        moved = stock.moved if rank is not None else None
        if moved is not None:
            stock.moved = set()
        if self._first or rank is None or moved is None:
            self._first = False
            yield from self._by_location.items()
            if rank is not None:
                stock.moved = set()  # the round's own top-ups (see above)
            return
        targets, ranks = self._targets, rank
        at: dict[str, list[Key]] = {}
        for key in moved:
            if key in targets:
                at.setdefault(key[1], []).append(key)
        for location in self._by_location:
            keys = at.get(location)
            if keys is not None:
                keys.sort(key=lambda key: ranks[key[0]])
                yield location, keys
        stock.moved = set()  # the round's own top-ups (see above)
