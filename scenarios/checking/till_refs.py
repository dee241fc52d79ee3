"""The tills' return ids by number, for the checker, without a string per return.

Why: the checker keeps, for every counter return of the run, when the goods came back
(`Truth.returns_received_at`) and, for those refunded at the till, when that was
(`Truth.till_refunds`), under the return's id read back from the run's file, a new
string each. A till's id is not a channel's ref (`RT-ST-0042-T00012346`: the store and
a transaction number, simulators/till_numbers.py), so `ref_slots.py` kept them
in dicts as given: a string, a float and a dict entry each, twice, about 200 bytes a
return, in proportion to the days' returns, not to what is in flight. The number is
one counter for the whole estate, so no two returns share it whatever their stores,
and the tills take returns in its order: a return is its number, its store's place
and its time in three arrays (20 bytes), found by bisecting the numbers. An id of any
other form, or one not above the last (a till that numbered otherwise), turns the
whole table into the dict it replaces, so what it answers never depends on the form.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left
from collections.abc import Iterator, Mapping

from simulators.places import Places
from simulators.till_numbers import parse_return_id, return_id


class TillTimes(Mapping[str, float]):
    """till return id -> a time, as the dict it replaces: the ids iterate in the order
    set, one set again keeps its place. Arrays by transaction number while every id is
    a till's and each comes above the last; a plain dict from the first that is not
    (see the module)."""

    __slots__ = ("_dict", "_numbers", "_places", "_stores", "_times")

    def __init__(self) -> None:
        self._numbers = array("q")
        self._stores = array("i")
        self._times = array("d")
        self._places: Places[str] = Places()
        #: everything, once an id did not fit the arrays (then they are empty)
        self._dict: dict[str, float] | None = None

    def set(self, ref: str, at: float) -> None:
        held = self._dict
        if held is None:
            parsed = parse_return_id(ref)
            numbers = self._numbers
            if parsed is not None and (not numbers or parsed[1] > numbers[-1]):
                numbers.append(parsed[1])
                self._stores.append(self._places.place(parsed[0]))
                self._times.append(at)
                return
            held = self._dict = dict(zip(self, self._times, strict=True))
            self._numbers, self._stores, self._times = array("q"), array("i"), array("d")
        held[ref] = at

    def _index(self, ref: object) -> int:
        """Where `ref` is in the arrays, -1 if it is not."""
        parsed = parse_return_id(ref) if isinstance(ref, str) else None
        if parsed is None:
            return -1
        store, number = parsed
        numbers = self._numbers
        index = bisect_left(numbers, number)
        if index == len(numbers) or numbers[index] != number:
            return -1
        return index if self._places.get(store) == self._stores[index] else -1

    def __getitem__(self, ref: str) -> float:
        if self._dict is not None:
            return self._dict[ref]
        index = self._index(ref)
        if index < 0:
            raise KeyError(ref)
        return self._times[index]

    def __contains__(self, ref: object) -> bool:
        if self._dict is not None:
            return ref in self._dict
        return self._index(ref) >= 0

    def __iter__(self) -> Iterator[str]:
        if self._dict is not None:
            yield from self._dict
            return
        stores = self._places.values
        for number, place in zip(self._numbers, self._stores, strict=True):
            yield return_id(stores[place], number)

    def __len__(self) -> int:
        return len(self._dict) if self._dict is not None else len(self._numbers)


class BothTimes(Mapping[str, float]):
    """Two mappings of return ids to times read as one, the first's ids first: the
    returns received at the DCs (`RefTimes`) and over the counters (`TillTimes`), whose
    ids never coincide (a channel's ref behind its prefix, a till's), so that the one
    dict they replace is neither built nor needed."""

    __slots__ = ("_first", "_second")

    def __init__(self, first: Mapping[str, float], second: Mapping[str, float]) -> None:
        self._first = first
        self._second = second

    def __getitem__(self, ref: str) -> float:
        at = self._first.get(ref)
        return self._second[ref] if at is None else at

    def __contains__(self, ref: object) -> bool:
        return ref in self._first or ref in self._second

    def __iter__(self) -> Iterator[str]:
        yield from self._first
        yield from self._second

    def __len__(self) -> int:
        return len(self._first) + len(self._second)


__all__ = ["BothTimes", "TillTimes"]
