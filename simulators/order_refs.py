"""How a sales channel numbers its orders, in one place: `W-0000042`, a prefix and a
running number padded to seven digits.

Why here: the checker keeps a value per order for hundreds of thousands of orders
(what each was charged, when its first invoice was booked), and a dict keyed by the ref
strings it reads back from the run's file holds a new string per order. Parsed, a ref
is a slot in an array of its prefix's (`scenarios/checking/ref_slots.py`), which is
safe only if what formats a ref and what parses it agree: both are here.
"""

from __future__ import annotations

#: digits of a ref's running number (`format_ref` pads to it)
REF_DIGITS = 7


def format_ref(prefix: str, number: int) -> str:
    """The channel's ref for its order `number` under `prefix`: `W-0000042`. (`zfill`
    pads as `{number:07d}` does, at a quarter of its cost: one a channel order.)"""
    return prefix + "-" + str(number).zfill(REF_DIGITS)


def parse_ref(ref: str) -> tuple[str, int] | None:
    """(prefix, number) of a ref `format_ref` made, None for any other string (one
    padded otherwise, or with no number), so that every ref parsed formats back to
    itself."""
    prefix, dash, digits = ref.rpartition("-")
    if not dash or len(digits) != REF_DIGITS or not (digits.isascii() and digits.isdigit()):
        return None
    return prefix, int(digits)


__all__ = ["REF_DIGITS", "format_ref", "parse_ref"]
