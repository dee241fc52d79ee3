"""The contract tells the truth about a real run: reduced days of the library's
scenarios, in-process with the built-in hub, with everything said across the boundary
checked against it (contract_witness.py): every request, answer, publish and message.

The days are chosen for what they make the estate say: a healthy day, an ERP outage
(503s), a duplicate storm, the legacy ERP's batch interface and its cutover (202s and
import results), a throttled ERP and a marketplace flood (429s), a degraded card gateway
(402s, slow answers), stores offline (late, shuffled uploads) and a promotion launch
(price changes, price pushes to every channel and the stores, discounted lines) and a
degraded tax engine (quotes, commits, reversals, its 429s and 503s) and a fraud screen
(screenings, its analysts' decisions), a settling marketplace (shipments confirmed,
refunds through it, settlement reports, payouts booked), expiring credentials (token
requests, 401s, a token endpoint's 503s) and a B2B portal (orders on account, their
companies' remittances, customer payments booked). A
control run with a hub that leaves a field out, and a WMS that adds one, proves the
witness sees them.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
from contract_witness import Witness, witness_runs

from hub.adapters import erp as erp_adapter
from simulators.contract import CHANNELS, SOURCES, SYSTEMS
from simulators.stockroom import Stockroom

SMALL = ("scenario.scale=0.1",)
RUNS = (
    ("steady-day", SMALL),
    ("erp-outage", SMALL),
    ("duplicate-storm", SMALL),
    ("erp-cutover", SMALL),
    ("erp-throttled", SMALL),
    ("marketplace-flood", SMALL),
    ("payment-degraded", SMALL),
    ("pos-offline", SMALL),
    ("promotion-launch", SMALL),
    ("tax-degraded", SMALL),
    ("fraud-review", SMALL),
    ("marketplace-settlement", SMALL),
    ("credentials-expiry", SMALL),
    # thin shelves and nearest sourcing with split: releases, withdrawals, picks and
    # shipments of the second and later parts of orders, with their `leg`
    (
        "steady-day",
        (
            "scenario.scale=0.2",
            "world.dcs=4",
            "world.dc_cover_days=0.5",
            "world.dc_replenish_interval_h=0",
            "demand.basket_lines_mean=3",
            "demand.cancel_rate=0.3",
            "hub.sourcing.strategy=nearest",
            "hub.sourcing.split=true",
        ),
    ),
    ("steady-day", (*SMALL, "backends.b2b.enabled=true", "backends.b2b.net_days=0")),
)


@cache
def witnessed() -> Witness:
    return witness_runs(RUNS)


def test_everything_said_across_the_boundary_matches_the_contract() -> None:
    problems = witnessed().problems
    assert problems == [], f"{len(problems)} problems, the first: " + "\n".join(problems[:20])


def test_the_runs_exercised_every_operation_topic_and_message() -> None:
    witness = witnessed()
    operations = {(s, o) for s, system in SYSTEMS.items() for o in system.operations}
    topics = {(c, t) for c, channel in CHANNELS.items() for t in channel.topics}
    kinds = {(s, k) for s, source in SOURCES.items() if s != "twin" for k in source.messages}
    assert sorted(operations - set(witness.requests)) == []
    assert sorted(topics - set(witness.publishes)) == []
    assert sorted(kinds - set(witness.messages)) == []


def test_the_runs_exercised_the_failure_answers() -> None:
    statuses = {(system, status) for system, _, status in witnessed().answers}
    assert {("erp", 503), ("erp", 429), ("erp", 202), ("marketplace", 429), ("payment", 402)} <= (
        statuses
    )


def test_the_witness_sees_a_hub_that_breaks_the_contract_and_a_backend_that_does() -> None:
    def order_without_customer(*args: Any) -> dict[str, object]:
        body = dict(create_sales_order(*args))
        del body["SoldTo"]
        return body

    def report_with_bin(self: Stockroom, key: tuple[str, str], ts: float) -> dict[str, Any]:
        return {**wms_report(self, key, ts), "bin": "A-01"}

    create_sales_order, wms_report = erp_adapter.create_sales_order, Stockroom.wms_report
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(erp_adapter, "create_sales_order", order_without_customer)
        patch.setattr(Stockroom, "wms_report", report_with_bin)
        witness = witness_runs((("steady-day", (*SMALL, "scenario.duration=6h")),))
    assert any(
        "request erp/create_sales_order" in p and '"SoldTo" is a required property' in p
        for p in witness.problems
    )
    assert any(
        "message wms SHIPMENT_CONFIRMED" in p and "'bin' was unexpected" in p
        for p in witness.problems
    )
