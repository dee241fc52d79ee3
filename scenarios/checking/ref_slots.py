"""A number per order ref for every order of the run, without a string per order.

Why: the checker keeps something per order while it judges (what each order was
charged, when its first invoice was booked), and the refs it reads them under come
back from the run's file, a new string each (an ERP document's `external_ref`, a
payment's `reference`). A dict keyed by them held a string, a boxed number and an
entry per order: about 130 bytes, some 40 MiB each at a full-scale peak weekend's
330,000 orders, the checker's own peak above the run's. A channel's ref is its
prefix and a running number (`simulators/order_refs.py`), so the number is a slot in
an array of that prefix's: 8 bytes an order. Slots come in chunks of `CHUNK`, made when
a slot in them is first set, so refs far apart cost a chunk each, not the span between
them, and a chunk holds only the slots set (`RefSlots`); a ref of any other form is
kept in a dict as given.
"""

from __future__ import annotations

import math
from array import array
from collections.abc import Iterator, Mapping
from typing import Any, Generic, TypeVar

from simulators.order_refs import format_ref, parse_ref
from simulators.places import Places

#: slots per chunk of a prefix's array (a power of two)
CHUNK_BITS = 12
CHUNK = 1 << CHUNK_BITS
#: a chunk holding more than one slot in this many set keeps a value for every slot
DENSE_FROM = 8
#: refs are numbered in `RefLists`' order as (number << PREFIX_BITS) | the prefix's place
PREFIX_BITS = 16

N = TypeVar("N", int, float)
#: what a `_RefsInOrder` maps each ref to
V = TypeVar("V")


class RefSlots(Generic[N]):
    """order ref -> one number, in arrays of `typecode` ("d" for times, "q" for cents).
    `missing`, a value of the array's type no ref is given, marks an empty slot.

    A chunk of `CHUNK` slots holds only the slots set while they are few: which they
    are as the bits of an integer, their values in slot order in an array, a slot's
    place in it the count of bits below its own. Once more than one slot in
    `DENSE_FROM` is set it becomes a value for every slot (`missing` in the empty
    ones), read without counting bits. Why both: the refs under which the checker
    keeps a number are not all dense. An order's charge is (nearly every order is
    charged), but a return's id is its order's ref behind a prefix of its own
    (`RMA-W-0000001`), so the returns' numbers are the returned orders', one in twelve
    or so: a value for every slot held some 90 bytes of empty slots a return."""

    __slots__ = ("_bits", "_empty", "_missing", "_others", "_values")

    def __init__(self, typecode: str, missing: N) -> None:
        self._missing: N = missing
        self._empty: array[Any] = array(typecode, [missing]) * CHUNK
        #: (prefix, number >> CHUNK_BITS) -> that chunk's values: `CHUNK` of them once
        #: dense, else those of the slots set, in slot order
        self._values: dict[tuple[str, int], array[Any]] = {}
        #: the same key -> which slots are set, as bits, for a chunk not yet dense
        self._bits: dict[tuple[str, int], int] = {}
        #: a ref that is not a channel's (`parse_ref` None) -> its number
        self._others: dict[str, N] = {}

    def get(self, ref: str) -> N | None:
        """The number under `ref`, None if none was set."""
        parsed = parse_ref(ref)
        if parsed is None:
            return self._others.get(ref)
        prefix, number = parsed
        key = (prefix, number >> CHUNK_BITS)
        values = self._values.get(key)
        if values is None:
            return None
        slot = number & (CHUNK - 1)
        held: N
        if len(values) == CHUNK:
            held = values[slot]
            return None if held == self._missing else held
        bits = self._bits[key]
        if not (bits >> slot) & 1:
            return None
        held = values[(bits & ((1 << slot) - 1)).bit_count()]
        return held

    def set(self, ref: str, value: N) -> None:
        if value == self._missing:
            raise ValueError(f"{value!r} marks an empty slot and cannot be kept")
        parsed = parse_ref(ref)
        if parsed is None:
            self._others[ref] = value
            return
        prefix, number = parsed
        key = (prefix, number >> CHUNK_BITS)
        slot = number & (CHUNK - 1)
        values = self._values.get(key)
        if values is None:
            self._values[key] = array(self._empty.typecode, [value])
            self._bits[key] = 1 << slot
            return
        if len(values) == CHUNK:
            values[slot] = value
            return
        bits = self._bits[key]
        place = (bits & ((1 << slot) - 1)).bit_count()
        if (bits >> slot) & 1:
            values[place] = value
            return
        values.insert(place, value)
        bits |= 1 << slot
        if len(values) * DENSE_FROM > CHUNK:
            self._values[key] = self._dense(bits, values)
            del self._bits[key]
        else:
            self._bits[key] = bits

    def _dense(self, bits: int, values: array[Any]) -> array[Any]:
        """A value for every slot of a chunk: those set in `bits` from `values`."""
        dense = array(self._empty.typecode, self._empty)
        held = iter(values)
        for slot in range(CHUNK):
            if (bits >> slot) & 1:
                dense[slot] = next(held)
        return dense


class RefOrder:
    """Refs in the order first added, a number each: (number << `PREFIX_BITS`) | the
    prefix's place, or -1 for a ref of no channel's form (or past `PREFIX_BITS`
    prefixes), read from a list of those in turn. Iterated, a ref is a new string."""

    __slots__ = ("_order", "_others", "_prefixes")

    def __init__(self) -> None:
        self._order = array("q")
        self._prefixes: Places[str] = Places()
        self._others: list[str] = []

    def add(self, ref: str) -> None:
        parsed = parse_ref(ref)
        prefixes = self._prefixes
        place = None if parsed is None else prefixes.get(parsed[0])
        if parsed is not None and place is None and len(prefixes.values) < 1 << PREFIX_BITS:
            place = prefixes.place(parsed[0])
        if parsed is None or place is None:
            self._others.append(ref)
            self._order.append(-1)
            return
        self._order.append((parsed[1] << PREFIX_BITS) | place)

    def __iter__(self) -> Iterator[str]:
        others = iter(self._others)
        prefixes, mask = self._prefixes.values, (1 << PREFIX_BITS) - 1
        for code in self._order:
            yield (
                next(others) if code < 0 else format_ref(prefixes[code & mask], code >> PREFIX_BITS)
            )

    def __len__(self) -> int:
        return len(self._order)


class _RefsInOrder(Mapping[str, V]):
    """A mapping by ref whose refs iterate in the order first added (a `RefOrder`), as
    the dict each subclass replaces did."""

    __slots__ = ("_order",)

    def __init__(self) -> None:
        self._order = RefOrder()

    def __iter__(self) -> Iterator[str]:
        return iter(self._order)

    def __len__(self) -> int:
        return len(self._order)


class RefLists(_RefsInOrder[list[int]]):
    """ref -> the amounts added under it, in the order added; the refs in the order
    first added (as the dict of lists it replaces iterates). The first amount of a
    ref sits in a `RefSlots`, any more in a dict by ref (an order charged twice is
    rare); the refs' order is a `RefOrder`. A list read is a new one."""

    __slots__ = ("_first", "_more")

    def __init__(self) -> None:
        self._first: RefSlots[int] = RefSlots("q", -(2**63))
        self._more: dict[str, list[int]] = {}
        super().__init__()

    def add(self, ref: str, amount: int) -> None:
        if self._first.get(ref) is not None:
            self._more.setdefault(ref, []).append(amount)
            return
        self._first.set(ref, amount)
        self._order.add(ref)

    def __getitem__(self, ref: str) -> list[int]:
        first = self._first.get(ref) if isinstance(ref, str) else None
        if first is None:
            raise KeyError(ref)
        return [first, *self._more.get(ref, ())]

    def __contains__(self, ref: object) -> bool:
        return isinstance(ref, str) and self._first.get(ref) is not None


class RefMoves(_RefsInOrder[list[tuple[int, float]]]):
    """ref -> the (amount, time) movements added under it, in the order added; the refs
    in the order first added: the dict of lists of pairs it replaces, as `RefLists` is
    for amounts alone. The refs are return ids (`RMA-W-0000001`, `MPR-M-0000001`), a
    channel's ref behind a prefix of their own, so the first movement of most is two
    array slots (16 bytes) and a place in the order (8), where the dict held a string,
    a list, a tuple, an int and a float: some 250 bytes, about 10 MiB judging a
    full-scale peak weekend's refunds. A ref of any other form (`RMA-W-0000001-2`, a
    till's return) is kept in the slots' dicts as given."""

    __slots__ = ("_amounts", "_more", "_times")

    def __init__(self) -> None:
        self._amounts: RefSlots[int] = RefSlots("q", -(2**63))
        self._times: RefSlots[float] = RefSlots("d", -math.inf)
        self._more: dict[str, list[tuple[int, float]]] = {}
        super().__init__()

    def add(self, ref: str, amount: int, at: float) -> None:
        if self._amounts.get(ref) is not None:
            self._more.setdefault(ref, []).append((amount, at))
            return
        self._amounts.set(ref, amount)
        self._times.set(ref, at)
        self._order.add(ref)

    def __getitem__(self, ref: str) -> list[tuple[int, float]]:
        amount = self._amounts.get(ref) if isinstance(ref, str) else None
        at = self._times.get(ref) if amount is not None else None
        if amount is None or at is None:
            raise KeyError(ref)
        return [(amount, at), *self._more.get(ref, ())]

    def __contains__(self, ref: object) -> bool:
        return isinstance(ref, str) and self._amounts.get(ref) is not None


class RefTimes(_RefsInOrder[float]):
    """ref -> a time, set again as a dict's item is (the ref keeps its first place);
    the refs in the order first set. For the returns' times of receipt, by return id
    (see `RefMoves`): 16 bytes a return where the dict held a string, a float and an
    entry."""

    __slots__ = ("_times",)

    def __init__(self) -> None:
        self._times: RefSlots[float] = RefSlots("d", -math.inf)
        super().__init__()

    def set(self, ref: str, at: float) -> None:
        if self._times.get(ref) is None:
            self._order.add(ref)
        self._times.set(ref, at)

    def __getitem__(self, ref: str) -> float:
        at = self._times.get(ref) if isinstance(ref, str) else None
        if at is None:
            raise KeyError(ref)
        return at

    def __contains__(self, ref: object) -> bool:
        return isinstance(ref, str) and self._times.get(ref) is not None


__all__ = ["CHUNK", "DENSE_FROM", "RefLists", "RefMoves", "RefOrder", "RefSlots", "RefTimes"]
