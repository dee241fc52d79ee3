"""`convergence` and the ERP's ledger drift walk every stock position either side holds:
the locations' own and those only the ERP's ledger holds (merged in, not a union of two
sets of every position, the judging's highest point at a full-scale peak), so a unit
the ERP books at a position no location has is still a disagreement, named in order,
and a position off at the end."""

from __future__ import annotations

from functools import cache

from scenarios.checking.books import erp_ledger_drift
from scenarios.checking.invariants import convergence
from scenarios.checking.truth import Truth, gather
from scenarios.spec.loader import load_scenario
from scenarios.twin.run_result import RunResult
from scenarios.twin.runtime import run


@cache
def _judged() -> tuple[RunResult, Truth]:
    result = run(load_scenario("steady-day", ("scenario.scale=0.05",)))
    return result, gather(result)


def test_a_position_only_the_erp_holds_is_a_disagreement_named_in_order() -> None:
    result, truth = _judged()
    assert convergence(result, truth).passed
    erp_stock = result.estate.erp.stock
    first, last = min(truth.stock), max(truth.stock)
    added = [(first[0], "AAAA-NOWHERE"), (last[0], "ZZZZ-NOWHERE")]
    try:
        for key in added:
            erp_stock[key] = 3
        finding = convergence(result, truth)
    finally:
        for key in added:
            del erp_stock[key]
    assert not finding.passed
    assert finding.violations == 2
    earlier, later = (f"{sku}@{location}: ERP stock 3" for sku, location in sorted(added))
    assert earlier in finding.detail and later in finding.detail
    assert finding.detail.index(earlier) < finding.detail.index(later)


def _off_as_a_union_counts(result: RunResult) -> int:
    """Positions off at the end as counted before: every room's on-hand copied into a
    dict (a later room's over an earlier's), the union of its keys and the ERP's."""
    physical: dict[tuple[str, str], int] = {}
    for room in (result.estate.wms.stock, result.estate.pos.stock):
        physical.update(room.on_hand)
    ledger = result.estate.erp.stock
    keys = set(physical) | set(ledger)
    return sum(1 for key in keys if physical.get(key, 0) != ledger.get(key, 0))


def test_the_ledger_drift_counts_the_positions_off_as_the_union_did() -> None:
    result, truth = _judged()
    ledger = result.estate.erp.stock
    assert erp_ledger_drift(result)["positions_off_at_end"] == _off_as_a_union_counts(result)
    moved = min(truth.stock)
    assert moved in ledger
    kept = ledger[moved]
    added = {(moved[0], "AAAA-NOWHERE"): 2, (moved[0], "ZZZZ-EMPTY"): 0}
    try:
        ledger[moved] = kept + 1
        ledger.update(added)
        off = erp_ledger_drift(result)["positions_off_at_end"]
    finally:
        ledger[moved] = kept
        for key in added:
            del ledger[key]
    # the moved position and the one only the ERP holds units at; not the empty one
    assert off == 2 + erp_ledger_drift(result)["positions_off_at_end"]
