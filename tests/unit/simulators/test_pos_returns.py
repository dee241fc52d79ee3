"""A counter return is kept as the till's own compact record, with the same figures as
the message the till sent the hub: the checker reads the record, the hub the message,
and the two must never tell different stories."""

from __future__ import annotations

import random
from typing import Any

import simpy

from simulators.pos import Pos, PosConfig
from simulators.till_return import TillReturn

STORES = ["ST-0001", "ST-0002"]


def _pos(damaged_rate: float, sent: list[dict[str, Any]]) -> tuple[simpy.Environment, Pos]:
    env = simpy.Environment()
    stock = {("SKU-1", store): 5 for store in STORES}
    pos = Pos(
        env,
        random.Random(3),
        PosConfig(60.0, damaged_rate, 60.0),
        STORES,
        stock,
        lambda _kind, payload: sent.append(payload),
        lambda _ref, _store: None,
    )
    return env, pos


def _as_sent(record: TillReturn) -> dict[str, Any]:
    """The fields of the message the record stands for, from the record."""
    return {
        "store": record.store,
        "txn": record.txn,
        "order_ref": record.order_ref,
        "channel": record.channel,
        "grade": record.grade,
        "ts": record.at,
        "refunded_at_till_cents": record.refunded_at_till_cents,
        "lines": [
            {"sku": sku, "qty": qty, "refund_cents": net, "tax_cents": tax}
            for sku, qty, net, tax in record.lines
        ],
    }


def test_each_counter_return_is_recorded_as_the_message_the_hub_was_sent() -> None:
    sent: list[dict[str, Any]] = []
    env, pos = _pos(0.0, sent)
    env.run(until=10.0)
    web = pos.counter_return("ST-0001", "W-1", "web", [("SKU-1", 2, 1998, 400)], False)
    env.run(until=20.0)
    till = pos.counter_return(
        "ST-0002", "ST-0002-T00000001", "store", [("SKU-1", 1, 999, 200)], True
    )
    assert [r.txn for r in pos.returns] == [web, till] and len(pos.returns) == 2
    assert [_as_sent(r) for r in pos.returns] == [
        {key: message[key] for key in _as_sent(pos.returns[0])} for message in sent
    ]
    assert pos.returns[1].refunded_at_till_cents == 999 + 200
    assert pos.returns[0].refunded_at_till_cents == 0 and pos.returns[0].at == 10.0
    assert pos.totals["ST-0002"].refunded_cents == 1199


def test_a_damaged_return_is_graded_so_in_both() -> None:
    sent: list[dict[str, Any]] = []
    _env, pos = _pos(1.0, sent)
    pos.counter_return("ST-0001", "W-1", "web", [("SKU-1", 1, 999, 200)], False)
    assert pos.returns[0].grade == sent[0]["grade"] == "damaged"
    assert pos.stock.quarantined.get(("SKU-1", "ST-0001"), 0) == 1


def test_a_pickup_leaves_memory_once_collected_or_cancelled_and_comes_back_to_change() -> None:
    """Sealed into a store, a click-and-collect order stays in memory while it can be
    picked or collected; a cancel of one already cancelled changes it again."""
    from scenarios.twin.record_spill import SqliteRecords, open_spill
    from simulators.pos import PickupOrder

    sent: list[dict[str, Any]] = []
    env, pos = _pos(0.0, sent)
    pos.pickups.seal_into(SqliteRecords(open_spill(), "pickups", PickupOrder))
    answers: list[tuple[int, dict[str, Any]]] = []

    def ask(operation: str, body: dict[str, Any]) -> None:
        pos.handle(operation, body, lambda status, answer, *_: answers.append((status, answer)))

    lines = [{"sku": "SKU-1", "qty": 1}]
    for ref in ("CC-0000001", "CC-0000002"):
        ask("pickup_request", {"order_ref": ref, "store": STORES[0], "lines": lines})
    ask("cancel_release", {"orderRef": "CC-0000002"})
    env.run(until=3600.0)
    assert pos.pickups["CC-0000001"].status == "ready" and pos.pickups.in_memory() == 1
    assert pos.collect("CC-0000001") and pos.pickups.in_memory() == 0
    assert pos.pickups["CC-0000001"].status == "collected"
    ask("cancel_release", {"orderRef": "CC-0000002"})
    assert answers[-1][0] == 200 and pos.pickups["CC-0000002"].changed_at == 3600.0
    assert pos.pickups.in_memory() == 0 and list(pos.pickups) == ["CC-0000001", "CC-0000002"]


def test_a_pickup_at_a_store_the_estate_does_not_have_is_refused_and_nothing_is_queued() -> None:
    """A request naming no store of the estate (an empty or unknown store) is answered
    400 at once, as the contract's bad request says: accepted, its pick would have
    found no such store's tills later and stopped the twin (schemathesis found it)."""
    sent: list[dict[str, Any]] = []
    env, pos = _pos(0.0, sent)
    answers: list[tuple[int, dict[str, Any]]] = []
    lines = [{"sku": "SKU-1", "qty": 1}]
    for ref, store in (("CC-0000001", ""), ("CC-0000002", "ST-9999")):
        body = {"order_ref": ref, "store": store, "lines": lines}
        pos.handle(
            "pickup_request", body, lambda status, answer, *_: answers.append((status, answer))
        )
    env.run(until=3600.0)  # the picks would have run by now
    assert [status for status, _ in answers] == [400, 400]
    assert "'ST-9999' is not one of the stores" in answers[1][1]["error"]
    assert list(pos.pickups) == [] and sent == []
