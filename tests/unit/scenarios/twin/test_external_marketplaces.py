"""Several marketplaces over the contract, for a hub outside the twin: `day.started`
names them (and still matches the contract), each speaks the `marketplace` contract
under its own name at the backends' face, and its messages' business keys are read
as a marketplace's."""

from __future__ import annotations

import simpy

from scenarios.spec.loader import scenario_from_dict
from scenarios.twin.external import webhooks
from scenarios.twin.external.gate import BackendGate
from scenarios.twin.external.link import ExternalHub
from scenarios.twin.external.pace import WallPace
from scenarios.twin.external.wall_run import day_started
from scenarios.twin.external.webhooks import WebhookSender
from scenarios.twin.runtime import start
from simulators import contract

TWO = {
    "scenario": {"name": "two", "description": "Two marketplaces.", "duration": "1h"},
    "world": {"skus": 20, "stores": 4, "customers": 50},
    "backends": {
        "marketplaces": [
            {"name": "ebay", "share_pct": 60},
            {"name": "amazon", "orders_per_hour": 5},
        ]
    },
}


def _estate() -> tuple[BackendGate, dict[str, object]]:
    env = simpy.Environment()
    sender = WebhookSender("http://127.0.0.1:9", None, WallPace(100.0), lambda: float(env.now))
    link = ExternalHub("http://127.0.0.1:9", sender, lambda: float(env.now))
    scenario = scenario_from_dict(TWO)
    estate = start(scenario, env, external_hub=link).result.estate
    gate = BackendGate(env, estate.network, estate.backends, estate.receivers)
    return gate, day_started(scenario, estate, 100.0, "http://127.0.0.1:9")


def test_day_started_names_the_marketplaces_and_matches_the_contract() -> None:
    started = _estate()[1]
    assert contract.validate_message("twin", started) == []
    topology = started["topology"]
    assert isinstance(topology, dict) and topology["marketplaces"] == ["ebay", "amazon"]
    assert {"ebay", "amazon"} <= set(topology["systems"])


def test_each_marketplace_speaks_the_marketplace_contract_under_its_name() -> None:
    gate = _estate()[0]
    assert gate.contract_name("ebay") == gate.contract_name("amazon") == "marketplace"
    assert gate.contract_name("web") == "web" and gate.contract_name("erp") == "erp"
    assert {"ebay", "amazon"} <= gate.systems() and "marketplace" not in gate.systems()


def test_a_named_marketplace_s_orders_are_keyed_by_their_order_id() -> None:
    payload = {"event": "ORDER_CANCELLED", "mpOrderId": "MP-EBAY-0000007", "cancelledAt": 1.0}
    assert webhooks.correlation_id("ebay", 3, payload) == "MP-EBAY-0000007"
