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

from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
from contract_witness import Witness, witness_runs, witnessing

from scenarios.spec.loader import load_scenario
from scenarios.twin import estate
from scenarios.twin.runtime import run
from simulators.contract import CHANNELS, SOURCES, SYSTEMS

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


def _with_bins(sender_to_hub: Callable[..., Any]) -> Callable[..., Any]:
    """The estate's senders to the hub, the WMS's shipment notices' stock with a bin."""

    def to_hub(network: Any, inbox: Any) -> Callable[[str], Any]:
        senders = sender_to_hub(network, inbox)

        def for_source(source: str) -> Callable[[str, dict[str, Any]], None]:
            send = senders(source)

            def with_bin(kind: str, payload: dict[str, Any]) -> None:
                if source == "wms" and kind == "SHIPMENT_CONFIRMED":
                    stock = [{**report, "bin": "A-01"} for report in payload["stock"]]
                    payload = {**payload, "stock": stock}
                send(kind, payload)

            return with_bin

        return for_source

    return to_hub


def test_the_witness_sees_a_hub_that_breaks_the_contract_and_a_backend_that_does() -> None:
    """Broken where they leave the hub's port (the transport's `request`, before the
    witness's `_send`) and the WMS, before the witness reads them: the hub's ERP adapter
    and the stockroom that writes the WMS's stock reports may be compiled (`make
    compile`), whose functions a test cannot replace."""
    witness = Witness(scenario="steady-day")
    with witnessing(witness), pytest.MonkeyPatch.context() as patch:

        class WithoutCustomer(estate.SimTransport):  # the witness's transport
            def request(self, system: str, operation: str, body: Any, *rest: Any) -> None:
                if operation == "create_sales_order":
                    body = {name: value for name, value in body.items() if name != "SoldTo"}
                super().request(system, operation, body, *rest)

        patch.setattr(estate, "SimTransport", WithoutCustomer)
        # the witness's senders, wrapped: what the WMS says reaches them with its bin
        patch.setattr(estate, "_sender_to_hub", _with_bins(estate._sender_to_hub))
        run(load_scenario("steady-day", (*SMALL, "scenario.duration=6h")))
    assert any(
        "request erp/create_sales_order" in p and '"SoldTo" is a required property' in p
        for p in witness.problems
    )
    assert any(
        "message wms SHIPMENT_CONFIRMED" in p and "'bin' was unexpected" in p
        for p in witness.problems
    )
