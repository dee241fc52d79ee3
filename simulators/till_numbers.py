"""How the tills number what they ring up, in one place: `ST-0042-T00012346`, the store
and a transaction number padded to eight digits, and a return over the counter the same
behind `RT-`.

Why here: the checker holds the tills' return ids by number rather than as strings
(`scenarios/checking/till_refs.py`), which is safe only if what formats an id and what
parses it agree: both are here, beside the tills (simulators/pos.py) that use them.
"""

from __future__ import annotations

#: what a return over the counter's id begins with
RETURN_PREFIX = "RT-"
#: digits of a transaction number (`txn_id` pads to it)
TXN_DIGITS = 8


def txn_id(store: str, number: int) -> str:
    """The id of the till transaction numbered `number` at `store`. (`zfill` pads as
    `{number:08d}` does, at a quarter of its cost: one a sale.)"""
    return store + "-T" + str(number).zfill(TXN_DIGITS)


def return_id(store: str, number: int) -> str:
    """The id of the return over the counter numbered `number` at `store`."""
    return RETURN_PREFIX + txn_id(store, number)


def parse_return_id(ref: str) -> tuple[str, int] | None:
    """(store, number) of an id `return_id` made, None for any other string, so that
    every id parsed formats back to itself."""
    if not ref.startswith(RETURN_PREFIX):
        return None
    head, dash, digits = ref.rpartition("-T")
    if not dash or len(head) <= len(RETURN_PREFIX) or not (digits.isascii() and digits.isdigit()):
        return None
    store, number = head[len(RETURN_PREFIX) :], int(digits)
    return (store, number) if return_id(store, number) == ref else None


__all__ = ["RETURN_PREFIX", "TXN_DIGITS", "parse_return_id", "return_id", "txn_id"]
