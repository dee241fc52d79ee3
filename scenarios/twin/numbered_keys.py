"""Which keys a spill table may hold, for keys that are a prefix and a number: a bitmap
of the numbers under each prefix, and a Bloom filter (`key_filter.py`) for the rest.

Why: nearly every spill table is keyed by a reference its system numbers in turn
(`W-0000123`, `MP-0000042`, `SS-ST-0011-00062`, `auth_000000031`), a few prefixes each,
and the numbers a run reaches are about as many as the keys it spills. A bit a number,
from 0 to the highest under the prefix, is an eighth of a byte a key where the Bloom
filter kept 1.25 to 1.9 bytes a key and grew with the days (peak-weekend's Monday held
some 2.8 MiB more of them than black-friday's doorbuster at full scale); and it says
"no" for every number never added, where the Bloom filter said "maybe" for one in sixty.

A key is split at its last run of digits (at most `MAX_DIGITS`): the prefix before,
the number they spell. Keys spelled apart but for leading zeros share a bit, so the
answer for one may be "maybe" when only the other was added: never "no" for a key
added, which is all a filter owes. A key goes to the Bloom filter instead when it has
no such number, when its prefix would be one too many (`MAX_PREFIXES`), or when its
number would stretch its prefix's bitmap (which starts at the first number it is
given) past two bytes a key under it (`SPARSE`: a store's credit memos are numbered by
the estate's till counter, one number in hundreds under each store's prefix; or an early
key far ahead of the rest); a number a bitmap does not hold is asked of the Bloom
filter too if any key under its prefix went there (the bitmap may have grown over it).
Nothing is ever removed: a bit stays set after its key leaves the table, as a Bloom
filter's did. The filter is `full` when its Bloom filter is, and the table makes a new
one from the keys it holds (`rebuilt`).
"""

from __future__ import annotations

from collections.abc import Iterable

from scenarios.twin import key_filter
from scenarios.twin.key_filter import KeyFilter

#: the most digits of a key's number read (more: the key goes to the Bloom filter)
MAX_DIGITS = 9
#: the most prefixes given a bitmap (a store's sales are numbered under each store's)
MAX_PREFIXES = 1024
#: bytes of bitmap a prefix may hold: `SPARSE` a key under it, and `SPARE` more
SPARSE = 2
SPARE = 64


class _Bitmap:
    """The numbers added under one prefix: bit n of byte i is number 8 * (first + i) + n."""

    __slots__ = ("bits", "first", "keys", "spilled")

    def __init__(self, first: int) -> None:
        self.bits = bytearray(1)
        self.first = first
        #: keys added to it
        self.keys = 0
        #: a key under the prefix went to the Bloom filter (its number was too far
        #: out then): a number the bitmap lacks is asked of the Bloom filter too, as
        #: the bitmap may have grown over it since
        self.spilled = False


class NumberedKeys:
    """A set of keys that never answers "no" for a key it was given, and answers "no"
    for every number it was not given within a prefix's bitmap."""

    __slots__ = ("_bitmaps", "_bloom", "_bloom_capacity")

    def __init__(self, bloom_capacity: int | None = None) -> None:
        self._bitmaps: dict[str, _Bitmap] = {}
        #: the keys that are not a prefix and a number within a bitmap (made at the
        #: first, for `bloom_capacity` keys: `key_filter.FIRST_CAPACITY` if None)
        self._bloom: KeyFilter | None = None
        self._bloom_capacity = bloom_capacity

    def add(self, key: str) -> None:
        self.add_all((key,))

    def add_all(self, keys: Iterable[str]) -> None:
        bitmaps = self._bitmaps
        for key in keys:
            prefix, number = split(key)
            bitmap = bitmaps.get(prefix)
            if number >= 0:
                at = number >> 3
                if bitmap is None and len(bitmaps) < MAX_PREFIXES:
                    bitmap = bitmaps[prefix] = _Bitmap(at)
                if bitmap is not None:
                    i = at - bitmap.first
                    if i < 0 or i >= len(bitmap.bits):
                        i = _grown(bitmap, at)
                    if 0 <= i < len(bitmap.bits):
                        bitmap.bits[i] |= 1 << (number & 7)
                        bitmap.keys += 1
                        continue
            if bitmap is not None:
                bitmap.spilled = True
            self._to_bloom(key)

    def _to_bloom(self, key: str) -> None:
        bloom = self._bloom
        if bloom is None:
            bloom = self._bloom = KeyFilter(self._bloom_capacity)
        bloom.add(key)

    def may_hold(self, key: object) -> bool:
        """False only if `key` was never added (since the filter was last rebuilt)."""
        if not isinstance(key, str):
            return True  # SQLite may match it to a key spelled alike: ask it
        prefix, number = split(key)
        bitmap = self._bitmaps.get(prefix)
        if bitmap is not None and number >= 0:
            i = (number >> 3) - bitmap.first
            if 0 <= i < len(bitmap.bits) and bitmap.bits[i] & (1 << (number & 7)):
                return True
            if not bitmap.spilled and 0 <= i < len(bitmap.bits):
                return False
        bloom = self._bloom
        return bloom is not None and bloom.may_hold(key)

    def full(self) -> bool:
        """The Bloom filter holds more keys than it was sized for: time to be
        `rebuilt`."""
        return self._bloom is not None and self._bloom.full()

    def rebuilt(self, keys: Iterable[str], count: int) -> NumberedKeys:
        """A new filter of `keys`, the `count` keys the table holds now, its Bloom
        filter sized for `GROWTH` times as many keys as this one's took."""
        bloom = self._bloom
        taken = 0 if bloom is None else bloom.added
        fresh = NumberedKeys(key_filter.sized_for(taken))
        fresh.add_all(keys)
        return fresh

    def size(self) -> int:
        """Bytes of bitmaps and Bloom table held (their objects aside)."""
        bloom = self._bloom
        return sum(len(bitmap.bits) for bitmap in self._bitmaps.values()) + (
            0 if bloom is None else bloom.size
        )


def split(key: str) -> tuple[str, int]:
    """`key` split at its last run of digits: the prefix before them, and the number
    they spell, or -1 if there are none or more than `MAX_DIGITS` (what
    `key.rstrip("0123456789")` and `int` of the rest gave). Written as a loop over the
    characters' codes: compiled, it reads them as machine integers and makes no string
    but the prefix, where `rstrip` and `int` of a slice made three and parsed one, about
    0.3 us a key less (each key a table writes, and each look-up, passes here)."""
    end = len(key)
    start = end
    while start > 0:
        code = ord(key[start - 1])
        if code < 48 or code > 57:  # not "0" to "9"
            break
        start -= 1
    digits = end - start
    if digits == 0:
        return key, -1
    if digits > MAX_DIGITS:
        return key[:start], -1
    number = 0
    for at in range(start, end):
        number = number * 10 + (ord(key[at]) - 48)
    return key[:start], number


def _grown(bitmap: _Bitmap, at: int) -> int:
    """Stretch `bitmap` to byte `at` if it would hold no more than `SPARSE` bytes a key
    under it (and `SPARE`); the index of byte `at` in it then, else -1."""
    first, bits = bitmap.first, bitmap.bits
    low, high = min(first, at), max(first + len(bits) - 1, at)
    if high - low + 1 > SPARSE * (bitmap.keys + 1) + SPARE:
        return -1
    if at < first:
        bits[0:0] = bytes(first - at)
        bitmap.first = at
    else:
        bits.extend(bytes(at + 1 - first - len(bits)))
    return at - bitmap.first
