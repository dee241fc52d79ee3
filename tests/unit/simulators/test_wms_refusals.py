"""The WMS refuses at once, with the contract's bad request naming the value, a body
that names a DC it does not have: accepted, what the body starts (a pick, a return's
putaway) would reach a floor that is not there hours later."""

from __future__ import annotations

import random
from typing import Any

import simpy

from simulators.wms import Wms, WmsConfig

DCS = ["DC-NORTH", "DC-SOUTH"]
LINES = [{"item": "SKU-1", "qty": 1}]


def _wms(sent: list[dict[str, Any]]) -> tuple[simpy.Environment, Wms]:
    env = simpy.Environment()
    stock = {("SKU-1", dc): 5 for dc in DCS}
    config = WmsConfig(2, 60.0, 60.0, 60.0, 0.0, return_transit_median_s=600.0)
    emit = lambda _kind, payload: sent.append(payload)  # noqa: E731
    return env, Wms(env, random.Random(3), config, DCS, stock, emit, lambda *_: None)


def _ask(wms: Wms, operation: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    answers: list[tuple[int, dict[str, Any]]] = []
    wms.handle(operation, body, lambda status, answer, *_: answers.append((status, answer)))
    assert len(answers) == 1
    return answers[0]


def test_a_return_to_a_place_that_is_not_one_of_its_dcs_is_refused_and_nothing_expected() -> None:
    """A store's code, '' or an unknown name: before, each was expected (202) and put
    away hours later on a shelf the WMS does not have (a store's: the stock meter then
    raised and stopped the twin)."""
    sent: list[dict[str, Any]] = []
    env, wms = _wms(sent)
    for number, dc in enumerate(("ST-0001", "", "DC-NOWHERE")):
        body = {"rma": f"RMA-{number}", "orderRef": "W-1", "dc": dc, "lines": LINES}
        status, answer = _ask(wms, "expect_return", body)
        assert status == 400, (dc, answer)
        assert f"dc {dc!r} is not one of ['DC-NORTH', 'DC-SOUTH']" in answer["error"]
    env.run(until=86400.0)  # the putaways would have run by now
    assert list(wms.returns) == [] and sent == []
    assert sorted({dc for _, dc in wms.stock.on_hand}) == DCS


def test_a_release_to_a_place_that_is_not_one_of_its_dcs_is_refused_naming_it() -> None:
    """Refused before too, but as `KeyError: 'ST-0001'`: the answer now says what was
    wrong and what is expected."""
    sent: list[dict[str, Any]] = []
    env, wms = _wms(sent)
    body = {"orderRef": "W-1", "dc": "ST-0001", "lines": LINES}
    assert _ask(wms, "release_order", body) == (
        400,
        {"error": "bad request: dc 'ST-0001' is not one of ['DC-NORTH', 'DC-SOUTH']"},
    )
    env.run(until=86400.0)
    assert list(wms.releases) == [] and sent == []


def test_a_return_to_a_drop_ship_partner_s_shelves_is_still_expected() -> None:
    """The hub sends a drop-shipped line's return to the WMS naming the partner's
    location (its shelves are in this stockroom): that is taken, as always."""
    sent: list[dict[str, Any]] = []
    env, wms = _wms(sent)
    wms.take_returns_for("DS-GARDEN")
    body = {"rma": "RMA-1", "orderRef": "W-1", "dc": "DS-GARDEN", "lines": LINES}
    assert _ask(wms, "expect_return", body) == (202, {"expected": "RMA-1"})
    env.run(until=86400.0)
    assert [message["msg"] for message in sent] == ["RETURN_RECEIVED", "RETURN_INSPECTED"]
    assert wms.stock.on_hand[("SKU-1", "DS-GARDEN")] == 1
    release = {"orderRef": "W-2", "dc": "DS-GARDEN", "lines": LINES}
    assert _ask(wms, "release_order", release)[0] == 400  # a partner takes its own POs
