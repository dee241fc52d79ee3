"""Region-aware sourcing and split shipments end to end, judged from the systems' own
records: on thin DC shelves that are never topped up, with big baskets, slow pickers and
customers who cancel often, orders ship in parts from several DCs and cancellations race
the parts; every invariant holds, in process and from ground truth alone. Sourcing from
the nearest DC brings the carrier's parcels to the door sooner than the fullest DC does.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from scenarios.checking.judging import JudgedFrom
from scenarios.checking.verdict import Verdict, judge
from scenarios.spec.loader import load_scenario
from scenarios.twin.run_result import RunResult
from scenarios.twin.runtime import run

#: simulated time only: runs beside the head-started wall-clock runs (tests/head_start.py)
COMPUTES_ONLY = True

#: a half-size day where no single DC can fill many orders, and many are cancelled
THIN_SHELVES = (
    "scenario.scale=0.5",
    "world.dcs=4",
    "world.dc_cover_days=0.5",
    "world.dc_replenish_interval_h=0",
    "demand.basket_lines_mean=3",
    "backends.wms.pick_time_median=30m",
    "demand.cancel_rate=0.3",
)
SPLIT = ("hub.sourcing.strategy=nearest", "hub.sourcing.split=true")


@cache
def day(*overrides: str) -> tuple[RunResult, Verdict]:
    result = run(load_scenario("steady-day", overrides))
    return result, judge(result, "steady-day", overrides)


def _counters(verdict: Verdict) -> dict[str, Any]:
    counters: dict[str, Any] = verdict.metrics["volumes"]["hub_counters"]
    return counters


def test_orders_ship_in_parts_and_every_invariant_holds() -> None:
    result, verdict = day(*THIN_SHELVES, *SPLIT)
    assert verdict.passed, [c.detail for c in verdict.invariants if not c.passed]
    counters = _counters(verdict)
    assert counters["orders_split"] >= 20
    assert counters.get("units_withdrawn_with_leg", 0) > 0  # a part given back, another shipped
    split = [ref for ref, parts in result.estate.wms.legs.in_parts() if len(parts) > 1]
    assert len(split) >= 20
    assert verdict.metrics["delivery"]["shipments_per_order"] > 1.0
    # each part left its own DC, under its own shipment number
    parts = result.estate.wms.legs[split[0]]
    assert len({part.dc for part in parts}) == len(parts)
    shipped = [part.shipment_no for part in parts if part.shipment_no]
    assert len(set(shipped)) == len(shipped)


def test_split_orders_pass_judged_from_the_systems_records_alone() -> None:
    overrides = (*THIN_SHELVES, *SPLIT)
    result, _ = day(*overrides)
    alone = judge(result, "steady-day", overrides, judged_from=JudgedFrom.GROUND_TRUTH)
    assert alone.passed, [c.detail for c in alone.invariants if not c.passed]


def test_splitting_leaves_fewer_lines_short_than_shipping_whole() -> None:
    whole = day(*THIN_SHELVES, "hub.sourcing.strategy=nearest")[1].metrics["delivery"]
    parts = day(*THIN_SHELVES, *SPLIT)[1].metrics["delivery"]
    assert parts["lines_short"] < whole["lines_short"]
    assert whole["shipments_per_order"] == 1.0


def test_the_nearest_dc_delivers_sooner_than_the_fullest() -> None:
    fullest = day("scenario.scale=0.5", "scenario.duration=12h")[1].metrics["delivery"]
    nearest = day("scenario.scale=0.5", "scenario.duration=12h", SPLIT[0])[1].metrics["delivery"]
    assert nearest["out_of_region_pct"] < fullest["out_of_region_pct"] / 2
    assert nearest["order_to_door_s"]["all"]["p95"] < fullest["order_to_door_s"]["all"]["p95"]
