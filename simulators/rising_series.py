"""A series of (sequence, time) pairs per key whose sequences rise and whose times
never fall, packed to a byte or two a pair (see `RisingSeqTimesByKey`).

Its own module, beside `simulators/compact.py`'s containers, because it is the one
that encodes numbers by hand: the rest of those keep values in arrays and dicts.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterator, Mapping
from typing import TypeVar

K = TypeVar("K")


class RisingSeqTimesByKey(Mapping[K, list[tuple[int, float]]]):
    """key -> the (sequence, time) pairs noted for it, in order, where each key's
    sequences rise and the times never fall (a clock's): the mapping `SeqTimesByKey`
    is, in about a third of its memory. A channel notes a pair each time a feed moves a
    view past another of the source's movements, a few million over a long run, and
    the checker reads every one.

    Every distinct time is kept once, as a double, in a table shared by all keys (a
    feed applied at one instant notes that instant for every key it moved); a key
    keeps only the steps from its previous pair, in sequence and in place in that
    table, each a variable-length number (seven bits a byte, the high bit set on all
    but the last): mostly a byte or two each, where two doubles took 16 bytes. Values
    read back exactly, as `SeqTimesByKey` gives them; change it through `append` only."""

    __slots__ = ("_last", "_steps", "_times")

    def __init__(self) -> None:
        #: each distinct time, in the order first noted
        self._times: array[float] = array("d")
        #: key -> its pairs, as steps (see the class)
        self._steps: dict[K, bytearray] = {}
        #: key -> the sequence and the time's place in `_times` of its last pair
        self._last: dict[K, tuple[int, int]] = {}

    def append(self, key: K, seq: int, at: float) -> None:
        if type(seq) is not int:
            # a feed read from JSON may carry 3.0 for 3 (JSON Schema's "integer" takes
            # it, and an external hub's feed reaches the channel so): kept as the
            # integer it is, as the series of doubles this replaced read it back
            seq = int(seq)
        times = self._times
        if not times or times[-1] != at:
            times.append(at)
        place = len(times) - 1
        last = self._last.get(key)
        if last is None:
            last_seq, last_place = 0, 0
            steps = self._steps[key] = bytearray()
        else:
            last_seq, last_place = last
            steps = self._steps[key]
        seq_step, place_step = seq - last_seq, place - last_place
        if seq_step < 0 or place_step < 0:
            raise ValueError(f"{key!r}: ({seq}, {at}) goes back from sequence {last_seq}")
        if seq_step < 0x80 and place_step < 0x80:  # the norm: a byte each
            steps.append(seq_step)
            steps.append(place_step)
        else:
            _put_number(steps, seq_step)
            _put_number(steps, place_step)
        self._last[key] = (seq, place)

    def last_seq(self, key: K) -> int | None:
        """The sequence of the last pair noted for `key`, None if none was."""
        last = self._last.get(key)
        return None if last is None else last[0]

    def __getitem__(self, key: K) -> list[tuple[int, float]]:
        steps, times = self._steps[key], self._times
        pairs: list[tuple[int, float]] = []
        seq = place = 0
        at, end = 0, len(steps)
        while at < end:
            byte = steps[at]
            at += 1
            if byte < 0x80:
                seq += byte
            else:
                step, at = _number_from(steps, at, byte)
                seq += step
            byte = steps[at]
            at += 1
            if byte < 0x80:
                place += byte
            else:
                step, at = _number_from(steps, at, byte)
                place += step
            pairs.append((seq, times[place]))
        return pairs

    def __contains__(self, key: object) -> bool:
        return key in self._steps

    def __iter__(self) -> Iterator[K]:
        return iter(self._steps)

    def __len__(self) -> int:
        return len(self._steps)

    def __repr__(self) -> str:
        return f"RisingSeqTimesByKey({dict(self)!r})"


def _put_number(out: bytearray, number: int) -> None:
    """Append a number >= 0, seven bits a byte, lowest first, the high bit set on every
    byte but the last."""
    while number >= 0x80:
        out.append((number & 0x7F) | 0x80)
        number >>= 7
    out.append(number)


def _number_from(data: bytearray, at: int, first: int) -> tuple[int, int]:
    """The number whose first byte, `first` (high bit set), was read just before `at`,
    and where the next one starts."""
    number, shift = first & 0x7F, 7
    while True:
        byte = data[at]
        at += 1
        number |= (byte & 0x7F) << shift
        if byte < 0x80:
            return number, at
        shift += 7
