"""Over a whole finished run: every status, source, system and message kind the read
model holds reaches the client as a named enum member (never `OTHER`), saying what the
deprecated string beside it says; and a return or payment authorized reads back in US
English while its British spelling still works as an argument."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from graph_support import gql, graph_app
from starlette.testclient import TestClient


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(graph_app()) as test_client:
        yield test_client


HISTORY = "statusHistory { status orderStatus returnStatus source changedBy }"
TIMELINE = "timeline { kind source target messageType sender recipient }"


def _nodes(client: TestClient, listing: str, fields: str) -> list[dict[str, Any]]:
    body = gql(client, f"{{ {listing}(first: 100) {{ nodes {{ {fields} }} }} }}")
    assert "errors" not in body, body
    nodes: list[dict[str, Any]] = body["data"][listing]["nodes"]
    assert nodes
    return nodes


def _check_timeline(events: list[dict[str, Any]]) -> None:
    for event in events:
        assert event["messageType"] == event["kind"].upper().replace(".", "_"), event
        assert event["sender"].lower() == event["source"], event
        assert event["recipient"].lower() == event["target"], event


def _check_history(steps: list[dict[str, Any]], of: str) -> None:
    other = "returnStatus" if of == "orderStatus" else "orderStatus"
    for step in steps:
        assert step[of].lower() == step["status"].replace("authorised", "authorized"), step
        assert step[other] is None, step
        assert step["changedBy"].lower() == step["source"], step


def test_an_orders_history_and_timeline_are_named_enums(client: TestClient) -> None:
    orders = _nodes(client, "orders", f"id paymentState {HISTORY} {TIMELINE}")
    for order in orders:
        _check_history(order["statusHistory"], "orderStatus")
        _check_timeline(order["timeline"])
        assert order["paymentState"] != "AUTHORISED"
    assert sum(len(order["timeline"]) for order in orders) > len(orders), "timelines were read"


def test_a_returns_history_and_timeline_are_named_enums_in_us_english(
    client: TestClient,
) -> None:
    returns = _nodes(client, "returns", f"id status {HISTORY} {TIMELINE}")
    for ret in returns:
        _check_history(ret["statusHistory"], "returnStatus")
        _check_timeline(ret["timeline"])
        assert ret["status"] != "AUTHORISED"
    stepped = {step["returnStatus"] for ret in returns for step in ret["statusHistory"]}
    assert "AUTHORIZED" in stepped and "AUTHORISED" not in stepped


def test_a_filter_may_still_name_the_british_spelling(client: TestClient) -> None:
    """It validates and selects as the US name does (no return of a finished run is
    still authorized, so CLOSED makes the page non-empty; that the two names send the
    read model the same word is tests/unit/graph/test_graph_words.py's)."""
    query = "query($s: [ReturnStatus!]) { returns(filter: {status: $s}) { totalCount } }"
    us = gql(client, query, {"s": ["AUTHORIZED", "CLOSED"]})
    british = gql(client, query, {"s": ["AUTHORISED", "CLOSED"]})
    assert "errors" not in us and "errors" not in british, british
    assert british["data"] == us["data"] and us["data"]["returns"]["totalCount"] > 0


def test_the_operations_enums_say_what_their_strings_say(client: TestClient) -> None:
    body = gql(
        client,
        """{ operations { run { mode runMode }
        lanes { system backend } deadLetters { items { kind category } }
        syncLag { scope lagScope name system } faults { origin startedBy }
        sla { results { bound thresholdType } } } }""",
    )
    assert "errors" not in body, body
    ops = body["data"]["operations"]
    assert (ops["run"]["mode"], ops["run"]["runMode"]) == ("finished", "FINISHED")
    assert ops["lanes"] and all(lane["backend"].lower() == lane["system"] for lane in ops["lanes"])
    assert all(d["category"].lower() == d["kind"] for d in ops["deadLetters"]["items"])
    assert {(lag["scope"], lag["lagScope"]) for lag in ops["syncLag"]} == {
        ("source", "SOURCE"),
        ("channel", "CHANNEL"),
    }
    assert all(lag["system"].lower() == lag["name"] for lag in ops["syncLag"])
    assert all(f["startedBy"].lower() == f["origin"] for f in ops["faults"])
    bounds = {(r["bound"], r["thresholdType"]) for r in ops["sla"]["results"]}
    assert bounds and bounds <= {("max", "MAXIMUM"), ("min", "MINIMUM")}
