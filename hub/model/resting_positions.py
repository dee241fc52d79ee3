"""One location's ERP ledger positions at rest: each SKU and the sequence heard for it,
in two arrays sorted by SKU.

Most of the ERP ledger's positions are at rest most of the time (hub/model/erp_ledger.py),
and one at rest is only its heard sequence. Kept as an int in a dict by SKU, each cost a
dict entry, about 38 bytes with the table's spare room, and a peak weekend's four days
touch far more positions than black-friday's doorbuster: the entries were about 1.5 MiB
of the two peaks' difference at full scale. Here a position costs a pointer to its SKU
(the string the messages share) and four bytes for its sequence, about 13 bytes with
the list's spare room; a look-up bisects, about ten string comparisons at a location
of a thousand SKUs. A SKU once here stays here: the ledger keeps a busy position apart
(its own dict, which a look-up asks first) and writes its sequence back when it folds,
so a sale's every line does not move the arrays.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left

#: a position's sequence is one location's count of its movements: four bytes hold any
#: run's (a larger one raises OverflowError, it is not wrapped)
_SEQ_TYPE = "I"


class RestingPositions:
    """SKU -> heard sequence, sorted by SKU; `index` finds, `put` sets or adds."""

    __slots__ = ("seqs", "skus")

    def __init__(self) -> None:
        #: the SKUs, sorted; read them, never change them
        self.skus: list[str] = []
        #: each SKU's sequence, beside it; read them, change one only through its index
        self.seqs: array[int] = array(_SEQ_TYPE)

    def index(self, sku: str) -> int:
        """Where `sku` is, or -1."""
        skus = self.skus
        i = bisect_left(skus, sku)
        return i if i < len(skus) and skus[i] == sku else -1

    def put(self, sku: str, seq: int) -> None:
        """`sku`'s sequence is `seq`, added if new."""
        skus = self.skus
        i = bisect_left(skus, sku)
        if i < len(skus) and skus[i] == sku:
            self.seqs[i] = seq
        else:
            self.seqs.insert(i, seq)  # first: a sequence refused leaves both as they were
            skus.insert(i, sku)

    def items(self) -> zip[tuple[str, int]]:
        """(SKU, sequence) in SKU order."""
        return zip(self.skus, self.seqs, strict=True)

    def __len__(self) -> int:
        return len(self.skus)
