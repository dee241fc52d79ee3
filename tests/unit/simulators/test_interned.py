"""`Interned` shares one copy of each equal value, and keeps none nothing else holds
past its next sweep (simulators/interned.py)."""

from __future__ import annotations

from simulators.interned import FIRST_SWEEP, Interned


def _line(n: int) -> tuple[str, int, int, int]:
    # built at run time, so equal values are distinct objects, as a run's are
    return (f"SKU-{n:05d}", n % 3 + 1, 1000 + n, 200 + n)


def test_equal_values_come_back_as_the_first_copy() -> None:
    shared = Interned()
    first = shared(_line(7))
    again = _line(7)
    assert again is not first
    assert shared(again) is first


def test_a_sweep_drops_what_nothing_else_holds_and_keeps_what_is_held() -> None:
    shared = Interned()
    kept = [shared(_line(n)) for n in range(10)]
    for n in range(10, 20):
        shared(_line(n))  # dropped by the caller at once
    _fill_until_swept(shared)
    # only what `kept` holds is left, and the filler that set the sweep off
    assert len(shared) == 11
    assert all(shared(_line(n)) is kept[n] for n in range(10))
    # a value dropped comes back as a copy of its own, shared from then on
    back = shared(_line(FIRST_SWEEP))
    assert back == _line(FIRST_SWEEP)
    assert shared(_line(FIRST_SWEEP)) is back


def test_a_basket_dropped_frees_its_lines_in_the_same_sweep() -> None:
    shared = Interned()
    held_line = shared(_line(1))
    basket = shared((shared(_line(2)), shared(_line(3))))
    held_basket = shared((held_line,))
    del basket
    _fill_until_swept(shared)
    # the basket and its two lines went in the same sweep as the filler; the line and
    # the one-line basket something holds are left, and the filler that set the sweep
    # off (the call returns it)
    assert len(shared) == 3
    assert shared(_line(1)) is held_line
    assert shared((_line(1),)) is held_basket


def _fill_until_swept(shared: Interned) -> None:
    n = 0
    while True:
        before = len(shared)
        shared(("filler", n))
        n += 1
        if len(shared) <= before:
            return
        assert n <= FIRST_SWEEP
