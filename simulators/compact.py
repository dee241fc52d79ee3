"""Compact containers for the records a simulator keeps for the whole run.

A peak day keeps hundreds of thousands of small records that the checker reads once at
the end: a (sequence, time) pair each time a channel's view moved, the documents the
ERP booked under each reference. As Python lists of tuples each costs about 60 bytes
more than its numbers; these containers keep the numbers packed and hand back the same
values in the same shapes, so what reads them does not change.
"""

from __future__ import annotations

from array import array
from collections.abc import (
    Callable,
    ItemsView,
    Iterator,
    Mapping,
    MutableMapping,
    Sequence,
    ValuesView,
)
from dataclasses import dataclass
from typing import Any, TypeVar, overload

from simulators.numbers import Numbering
from simulators.records import SealedRecords

K = TypeVar("K")
T = TypeVar("T")
V = TypeVar("V")


class SeqTimesByKey(Mapping[K, list[tuple[int, float]]]):
    """key -> the (sequence, time) pairs noted for it, in order: a mapping to lists of
    pairs, stored as one flat array of doubles per key (a sequence number is exact in
    a double up to 2**53). Reading a key builds its list, so a reader holds one key's
    pairs at a time, not the whole day's; change it through `append` only."""

    __slots__ = ("_series",)

    def __init__(self) -> None:
        self._series: dict[K, array[float]] = {}

    def append(self, key: K, seq: int, at: float) -> None:
        series = self._series.get(key)
        if series is None:
            self._series[key] = array("d", (seq, at))
        else:
            series.append(seq)
            series.append(at)

    def last_seq(self, key: K) -> int | None:
        """The sequence of the last pair noted for `key`, None if none was."""
        series = self._series.get(key)
        return None if series is None else int(series[-2])

    def __getitem__(self, key: K) -> list[tuple[int, float]]:
        series = self._series[key]
        return [(int(series[i]), series[i + 1]) for i in range(0, len(series), 2)]

    def __contains__(self, key: object) -> bool:
        return key in self._series

    def __iter__(self) -> Iterator[K]:
        return iter(self._series)

    def __len__(self) -> int:
        return len(self._series)

    def __repr__(self) -> str:
        return f"SeqTimesByKey({dict(self)!r})"


class OneOrMany(MutableMapping[str, list[V]]):
    """key -> the values added under it, in order: a mapping to lists, stored as the
    bare value while a key has one (the norm: one document per reference, one parcel
    per order), a list only once it has several. Reading a key hands back a list
    either way; a list handed back for a single value is a new one, so change the
    index through `add` and `sort` only. A value must not itself be a list."""

    __slots__ = ("_values",)

    def __init__(self) -> None:
        self._values: dict[str, V | list[V]] = {}

    def add(self, key: str, value: V) -> None:
        values = self._values
        held = values.get(key)
        if held is None:
            values[key] = value
        elif isinstance(held, list):
            held.append(value)
        else:
            values[key] = [held, value]

    def sort(self, key: str, by: Callable[[V], Any]) -> None:
        """Put the values under `key` in order of `by` (stable, as `list.sort`)."""
        held = self._values.get(key)
        if isinstance(held, list):
            held.sort(key=by)

    def first(self, key: str) -> V | None:
        """The first value added under `key`, None if none was."""
        held = self._values.get(key)
        if isinstance(held, list):
            return held[0]
        return held

    def __getitem__(self, key: str) -> list[V]:
        held = self._values[key]
        return held if isinstance(held, list) else [held]

    @overload
    def get(self, key: str, /) -> list[V] | None: ...

    @overload
    def get(self, key: str, default: list[V] | T, /) -> list[V] | T: ...

    def get(self, key: str, default: object = None, /) -> object:
        held = self._values.get(key)
        if held is None:
            return default
        return held if isinstance(held, list) else [held]

    def __setitem__(self, key: str, values: list[V]) -> None:
        self._values[key] = values[0] if len(values) == 1 else list(values)

    def __delitem__(self, key: str) -> None:
        del self._values[key]

    def __contains__(self, key: object) -> bool:
        return key in self._values

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"OneOrMany({dict(self)!r})"


@dataclass(frozen=True, slots=True, init=False)
class Numbers:
    """A sealed `NumberIndex`'s entry as its store keeps it: the packed numbers under
    one key, in the order added, bare when there is one (a record of plain values, so
    a store can write it as it writes any other)."""

    held: int | str | tuple[int | str, ...]

    # an `__init__` of its own, not the dataclass's: the compiled build runs a generated
    # `__init__` interpreted, and through `object.__setattr__`, which compiled code does
    # on the slot itself (a million records of one field: 0.04 s against 0.21 s, timed
    # alone); every sealed index entry, written or read back, is built here
    def __init__(
        self,
        held: int | str | tuple[int | str, ...],
    ) -> None:
        object.__setattr__(self, "held", held)

    @classmethod
    def of(cls, packed: Sequence[int | str]) -> Numbers:
        return cls(packed[0] if len(packed) == 1 else tuple(packed))

    def packed(self) -> list[int | str]:
        held = self.held
        return list(held) if isinstance(held, tuple) else [held]


class NumberIndex(MutableMapping[str, list[str]]):
    """key -> the document numbers added under it, in order: a `OneOrMany` of numbers
    held packed (`Numbering.pack`), read back as the same strings, so a reader sees the
    mapping to lists of strings it always did. Change it through `add` (or by setting
    or deleting a key's whole list).

    Sealed into a store (`seal_into`, a batch run's temporary file), every entry lives
    there instead, keyed by its key and numbered by when its key was first added, so it
    reads back in the same order: an index by reference gains an entry for every
    document of the day and is read again only by a duplicate's look-up and the
    checker, and its keys (strings no record in memory holds any more) and numbers were
    a growing part of a long run's memory (issue 18)."""

    __slots__ = ("_held", "_next", "_numbering", "_sealed")

    def __init__(self, numbering: Numbering) -> None:
        self._numbering = numbering
        self._held: OneOrMany[int | str] = OneOrMany()
        self._sealed: SealedRecords[Numbers] | None = None
        self._next = 0

    def seal_into(self, store: SealedRecords[Numbers]) -> None:
        """From now on every entry lives in `store` (an empty one), those added so far
        too, in their order."""
        for n, key in enumerate(self._held):
            store.put(n, key, Numbers.of(self._held[key]))
        self._next = len(self._held)
        self._held = OneOrMany()
        self._sealed = store

    def add(self, key: str, number: str) -> None:
        packed = self._numbering.pack(number)
        sealed = self._sealed
        if sealed is None:
            self._held.add(key, packed)
            return
        taken = sealed.take(key)  # a second number under a key: a duplicate, rare
        if taken is None:
            sealed.put(self._next, key, Numbers(packed))
            self._next += 1
        else:
            seq, numbers = taken
            sealed.put(seq, key, Numbers.of([*numbers.packed(), packed]))

    def _packed(self, key: str) -> list[int | str] | None:
        if self._sealed is None:
            return self._held.get(key)
        numbers = self._sealed.get(key)
        return None if numbers is None else numbers.packed()

    def first(self, key: str) -> str | None:
        """The first number added under `key`, None if none was."""
        if self._sealed is None:
            held = self._held.first(key)
            return None if held is None else self._numbering.unpack(held)
        packed = self._packed(key)
        return self._numbering.unpack(packed[0]) if packed else None

    def __getitem__(self, key: str) -> list[str]:
        packed = self._packed(key)
        if packed is None:
            raise KeyError(key)
        unpack = self._numbering.unpack
        return [unpack(n) for n in packed]

    @overload
    def get(self, key: str, /) -> list[str] | None: ...

    @overload
    def get(self, key: str, default: list[str] | T, /) -> list[str] | T: ...

    def get(self, key: str, default: object = None, /) -> object:
        packed = self._packed(key)
        if packed is None:
            return default
        unpack = self._numbering.unpack
        return [unpack(n) for n in packed]

    def __setitem__(self, key: str, numbers: list[str]) -> None:
        pack = self._numbering.pack
        packed = [pack(number) for number in numbers]
        sealed = self._sealed
        if sealed is None:
            self._held[key] = packed
            return
        taken = sealed.take(key)
        if taken is None:
            sealed.put(self._next, key, Numbers.of(packed))
            self._next += 1
        else:
            sealed.put(taken[0], key, Numbers.of(packed))

    def __delitem__(self, key: str) -> None:
        if self._sealed is None:
            del self._held[key]
        elif self._sealed.take(key) is None:
            raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return key in (self._held if self._sealed is None else self._sealed)

    def entries(self) -> Iterator[tuple[str, list[str]]]:
        """(key, numbers) for every key, in order, each read once."""
        unpack = self._numbering.unpack
        if self._sealed is None:
            for key in self._held:
                yield key, [unpack(n) for n in self._held[key]]
            return
        for _, key, numbers in self._sealed.scan():
            yield key, [unpack(n) for n in numbers.packed()]

    def __iter__(self) -> Iterator[str]:
        if self._sealed is None:
            yield from self._held
            return
        for key, _ in self.entries():
            yield key

    def __len__(self) -> int:
        return len(self._held) if self._sealed is None else len(self._sealed)

    def values(self) -> ValuesView[list[str]]:
        """The numbers under each key in order, read once each (the default view would
        look every key up again: a query each, once sealed)."""
        return _IndexValues(self)

    def items(self) -> ItemsView[str, list[str]]:
        """(key, numbers) pairs in order, read once each."""
        return _IndexItems(self)

    def __repr__(self) -> str:
        return f"NumberIndex({dict(self.entries())!r})"

    def __reduce__(self) -> tuple[Callable[..., NumberIndex], tuple[Any, ...]]:
        """Pickled as its numbering and what it holds: compiled (`make compile`), a class
        is rebuilt through its `__init__`, which pickle's default would call with none."""
        return (_unpickled_index, (self._numbering, self._held, self._sealed, self._next))


def _unpickled_index(
    numbering: Numbering,
    held: OneOrMany[int | str],
    sealed: SealedRecords[Numbers] | None,
    next_seq: int,
) -> NumberIndex:
    """A `NumberIndex` as `NumberIndex.__reduce__` wrote it."""
    index = NumberIndex(numbering)
    index._held, index._sealed, index._next = held, sealed, next_seq
    return index


class _IndexValues(ValuesView[list[str]]):
    """An index's values, streamed from `NumberIndex.entries`."""

    __slots__ = ("_index",)

    def __init__(self, index: NumberIndex) -> None:
        super().__init__(index)
        self._index = index

    def __iter__(self) -> Iterator[list[str]]:
        for _, numbers in self._index.entries():
            yield numbers


class _IndexItems(ItemsView[str, list[str]]):
    """An index's (key, numbers) pairs, streamed from `NumberIndex.entries`."""

    __slots__ = ("_index",)

    def __init__(self, index: NumberIndex) -> None:
        super().__init__(index)
        self._index = index

    def __iter__(self) -> Iterator[tuple[str, list[str]]]:
        return self._index.entries()
