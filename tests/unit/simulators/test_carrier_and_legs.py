"""The carrier (simulators/carrier.py), the regions' distances (simulators/world.py) and
a split order's parts at the WMS (simulators/wms.py): transit grows with distance, each
part is released, withdrawn and shipped on its own, and the parts combine into the one
release the checker judges the order by."""

from __future__ import annotations

import random
import statistics
from typing import Any

import simpy

from simulators.carrier import DAY_S, Carrier
from simulators.wms import Wms, WmsConfig
from simulators.world import region_hops

REGIONS = ("north", "south", "east", "west")


def test_regions_lie_on_a_ring_of_near_and_far() -> None:
    assert region_hops(REGIONS, "north", "north") == 0
    assert region_hops(REGIONS, "north", "south") == 1
    assert region_hops(REGIONS, "north", "west") == 1
    assert region_hops(REGIONS, "north", "east") == 2
    assert region_hops(REGIONS, "north", "") == 2
    assert region_hops(("a", "b"), "a", "b") == 1


def test_a_far_parcel_takes_longer_than_a_near_one() -> None:
    carrier = Carrier(random.Random(5))
    transit = {
        hops: statistics.median(
            carrier.dispatch(f"S{hops}-{i}", f"W-{i}", "DC-N", "north", "x", hops, 0.0).delivered_at
            for i in range(400)
        )
        for hops in (0, 1, 2)
    }
    assert 0.8 * DAY_S < transit[0] < 1.2 * DAY_S
    assert transit[0] < transit[1] < transit[2]
    assert 2.6 * DAY_S < transit[2] < 3.4 * DAY_S
    assert [p.shipment_no for p in carrier.of_order("W-3")] == ["S0-3", "S1-3", "S2-3"]


def _wms() -> tuple[simpy.Environment, Wms, list[tuple[str, dict[str, Any]]], list[str]]:
    env = simpy.Environment()
    sent: list[tuple[str, dict[str, Any]]] = []
    docked: list[str] = []
    wms = Wms(
        env,
        random.Random(1),
        WmsConfig(2, 60.0, 60.0, 60.0, 0.0),
        ["DC-N", "DC-S"],
        {("A", "DC-N"): 5, ("B", "DC-S"): 5},
        lambda kind, payload: sent.append((kind, payload)),
        lambda ref, lines: None,
        lambda release: docked.append(release.key),
    )
    return env, wms, sent, docked


def _answer(wms: Wms, operation: str, body: dict[str, Any]) -> int:
    answers: list[int] = []
    wms.handle(operation, body, lambda status, _: answers.append(status))
    return answers[0]


def test_each_part_of_a_split_order_is_released_and_shipped_on_its_own() -> None:
    env, wms, sent, docked = _wms()
    first = {"orderRef": "W-1", "dc": "DC-N", "lines": [{"item": "A", "qty": 2}]}
    second = {"orderRef": "W-1", "dc": "DC-S", "lines": [{"item": "B", "qty": 1}], "leg": 2}
    assert _answer(wms, "release_order", first) == 202
    assert _answer(wms, "release_order", second) == 202
    assert _answer(wms, "release_order", second) == 409  # a retry of the same part
    assert sorted(wms.releases) == ["W-1", "W-1/2"]
    view = wms.order_release("W-1")
    assert view is not None and view.status == "queued"
    env.run(until=DAY_S)
    shipped = [p for kind, p in sent if kind == "SHIPMENT_CONFIRMED"]
    assert sorted(p.get("leg", 1) for p in shipped) == [1, 2]
    assert sorted(docked) == ["W-1", "W-1/2"]
    view = wms.order_release("W-1")
    assert view is not None and view.status == "shipped"
    assert sorted(view.picked) == [("A", 2), ("B", 1)]
    assert view.shipped_at == max(r.shipped_at for r in wms.legs["W-1"])


def test_a_part_withdrawn_is_not_short_and_the_order_is_whole_once_every_part_is_done() -> None:
    env, wms, _, _ = _wms()
    _answer(
        wms, "release_order", {"orderRef": "W-2", "dc": "DC-N", "lines": [{"item": "A", "qty": 1}]}
    )
    _answer(
        wms,
        "release_order",
        {"orderRef": "W-2", "dc": "DC-S", "lines": [{"item": "B", "qty": 3}], "leg": 2},
    )
    assert _answer(wms, "cancel_release", {"orderRef": "W-2", "leg": 2}) == 200
    assert wms.releases["W-2"].status == "queued"  # the other part is untouched
    env.run(until=DAY_S)
    view = wms.order_release("W-2")
    assert view is not None and view.status == "shipped"
    assert view.picked == [("A", 1)] and view.withdrawn == [("B", 3)] and view.short == []
