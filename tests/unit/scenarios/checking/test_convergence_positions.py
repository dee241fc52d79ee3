"""`convergence` walks every stock position either side holds, in order: the locations'
own and those only the ERP's ledger holds (merged in, not a sorted union of two sets of
every position, the judging's highest point at a full-scale peak), so a unit the ERP
books at a position no location has is still a disagreement, named in order."""

from __future__ import annotations

from functools import cache

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
