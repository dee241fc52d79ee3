"""A drop-ship partner on its own: it takes a PO, acknowledges it, ships what its shelf
holds, says so (late, for some), records what it shipped beside the WMS's releases,
is down when told, and a PO it lost waits until the hub sends it again."""

from __future__ import annotations

import random
from typing import Any

import simpy

from simulators.dropship import Partner, PartnerConfig
from simulators.release import Release
from simulators.stockroom import Stockroom


def _partner(
    env: simpy.Environment, **overrides: Any
) -> tuple[Partner, list[tuple[str, dict[str, Any]]], list[Release]]:
    settings: dict[str, Any] = {
        "name": "acme",
        "ack_time_median_s": 60.0,
        "processing_time_median_s": 600.0,
        "stock_feed_interval_s": 3600.0,
        "late_notice_rate": 0.0,
        "late_notice_delay_s": 7200.0,
        "unfillable_rate": 0.0,
        "po_loss_rate": 0.0,
    }
    settings.update(overrides)
    sent: list[tuple[str, dict[str, Any]]] = []
    recorded: list[Release] = []
    stock = Stockroom(on_hand={("SKU-1", "DS-ACME"): 5}, clock=lambda: env.now)
    partner = Partner(
        env,
        random.Random(1),
        PartnerConfig(**settings),
        stock,
        lambda kind, body: sent.append((kind, body)),
        recorded.append,
        lambda ref, lines: None,
    )
    return partner, sent, recorded


def _call(partner: Partner, operation: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    answers: list[tuple[int, dict[str, Any]]] = []
    partner.handle(operation, body, lambda status, answer: answers.append((status, answer)))
    return answers[0]


PO = {"orderRef": "W-1", "dc": "DS-ACME", "lines": [{"item": "SKU-1", "qty": 7}], "leg": 2}


def test_a_po_is_acknowledged_shipped_short_what_the_shelf_lacks_and_recorded() -> None:
    env = simpy.Environment()
    partner, sent, recorded = _partner(env)
    assert _call(partner, "release_order", PO)[0] == 202
    assert _call(partner, "release_order", PO)[0] == 409  # it has it already
    env.run(until=86400)
    kinds = [kind for kind, _ in sent]
    assert kinds == ["PO_ACKNOWLEDGED", "ORDER_PICKED", "SHIPMENT_CONFIRMED"]
    notice = sent[-1][1]
    assert notice["leg"] == 2 and notice["dc"] == "DS-ACME"
    assert notice["lines"] == [{"item": "SKU-1", "shipped": 5, "short": 2}]
    assert recorded[0].status == "shipped" and recorded[0].picked == [("SKU-1", 5)]
    assert partner.stock.on_hand[("SKU-1", "DS-ACME")] == 0


def test_a_late_notice_leaves_after_the_parcel() -> None:
    env = simpy.Environment()
    partner, _, recorded = _partner(env, late_notice_rate=1.0)
    _call(partner, "release_order", PO)
    env.run(until=86400)
    po = partner.orders["W-1/2"]
    assert po.late and po.notice_at - recorded[0].shipped_at == 7200.0


def test_a_lost_po_waits_for_the_hub_to_send_it_again() -> None:
    env = simpy.Environment()
    partner, sent, _ = _partner(env, po_loss_rate=1.0)
    _call(partner, "release_order", PO)
    env.run(until=7200)
    assert sent == [] and partner.orders["W-1/2"].lost
    assert _call(partner, "release_order", PO)[0] == 202  # the resend reaches the desk
    env.run(until=86400)
    assert [kind for kind, _ in sent][-1] == "SHIPMENT_CONFIRMED"


def test_down_it_answers_503_and_a_queued_po_can_be_cancelled() -> None:
    env = simpy.Environment()
    partner, sent, _ = _partner(env)
    partner.down = True
    assert _call(partner, "release_order", PO)[0] == 503
    partner.down = False
    _call(partner, "release_order", PO)
    assert _call(partner, "cancel_release", {"orderRef": "W-1", "leg": 2})[0] == 200
    env.run(until=86400)
    assert sent == []  # nothing acknowledged or shipped for a withdrawn PO


def test_the_stock_feed_goes_every_interval_but_not_while_down() -> None:
    env = simpy.Environment()
    partner, sent, _ = _partner(env)
    env.process(partner.stock_feed(4 * 3600.0))
    env.run(until=1.5 * 3600.0)
    partner.down = True
    env.run(until=2.5 * 3600.0)
    partner.down = False
    env.run(until=5 * 3600.0)
    feeds = [body for kind, body in sent if kind == "STOCK_FEED"]
    assert [body["ts"] for body in feeds] == [3600.0, 10800.0, 14400.0]
    assert feeds[0]["stock"][0]["item"] == "SKU-1" and feeds[0]["stock"][0]["onHand"] == 5
