"""The API's limits over HTTP: what a query may cost, each client's bucket of points,
`extensions.cost` on every answer, and the documentation's figures held to the code's
(the requests it refuses outright are in test_graph_bad_requests.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from graph_support import ACCEPT, gql, graph_app, refused
from starlette.testclient import TestClient

from graph.cost import CONNECTION_COST, DEFAULT_PAGE_SIZE, MUTATION_COST, OBJECT_COST
from graph.http import MAX_REQUEST_BYTES
from graph.idempotency import KEY_TTL_S, MAX_KEY_CHARS, MAX_STORED_KEYS
from graph.settings import ApiSettings, Role, SettingsError

KEYS = {"op-key": Role.OPERATOR, "view-key": Role.VIEWER}


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(graph_app()) as test_client:
        yield test_client


def test_a_query_over_the_maximum_cost_is_refused_before_it_runs(client: TestClient) -> None:
    # a full page of orders, each with three levels of returns and their orders; a full
    # page of SKUs with their positions' locations and their availability
    costly = """{ orders(first: 100) { nodes { returns { order { returns { order {
        returns { order { id } } } } } } } } skus(first: 100) { nodes { positions {
        location { id } } availableToSell { available } } } }"""
    cost = (2 + 100 * (1 + 6)) + (2 + 100 * (1 + 3))
    settings = ApiSettings()
    assert cost > settings.max_cost
    body = gql(client, costly, status=400)
    assert "data" not in body
    error = body["errors"][0]
    assert error["extensions"] == {
        "code": "MAX_COST_EXCEEDED",
        "cost": cost,
        "maxCost": settings.max_cost,
    }
    assert error["message"].startswith(
        f"Query cost is {cost}, which exceeds the single query max cost limit ({settings.max_cost})"
    )
    assert body["extensions"]["cost"]["requestedQueryCost"] == cost
    assert body["extensions"]["cost"]["actualQueryCost"] is None
    # the same query a page of SKUs smaller is allowed
    allowed = costly.replace("skus(first: 100)", "skus(first: 50)")
    assert "errors" not in gql(client, allowed)


def test_every_answer_carries_its_cost_and_the_bucket() -> None:
    with TestClient(graph_app(ApiSettings(api_keys=KEYS))) as client:  # the real bucket
        _answers_with_their_cost(client)


def _answers_with_their_cost(client: TestClient) -> None:
    body = gql(client, "{ orders(first: 3) { nodes { id lines { quantity } } } }", key="view-key")
    assert len(body["data"]["orders"]["nodes"]) == 3
    cost = body["extensions"]["cost"]
    assert cost["requestedQueryCost"] == 2 + 3 * 2
    assert cost["actualQueryCost"] == 2 + 3 * 2
    status = cost["throttleStatus"]
    assert status["maximumAvailable"] == ApiSettings().cost_bucket
    assert status["restoreRate"] == ApiSettings().cost_restore_rate
    assert 0 < status["currentlyAvailable"] <= status["maximumAvailable"]
    # a page shorter than asked costs what it holds
    last = gql(client, '{ orders(first: 50, filter: {customerId: "nobody"}) { nodes { id } } }')
    assert last["extensions"]["cost"] | {"throttleStatus": None} == {
        "requestedQueryCost": 52,
        "actualQueryCost": 2,
        "throttleStatus": None,
    }
    # a request that never ran is charged nothing and says so
    invalid = gql(client, "{ orders { nope } }", status=400)
    assert invalid["extensions"]["cost"]["requestedQueryCost"] is None


def test_a_client_over_its_bucket_is_throttled_with_the_restore_rate() -> None:
    settings = ApiSettings(api_keys=KEYS, cost_bucket=60, cost_restore_rate=1)
    query = "{ orders(first: 50) { nodes { id } } }"  # requested 52; the page is full
    with TestClient(graph_app(settings)) as client:
        first = gql(client, query, key="view-key")
        assert first["extensions"]["cost"]["actualQueryCost"] == 52
        viewer = {**ACCEPT, "authorization": "Bearer view-key"}
        response = client.post("/graphql", json={"query": query}, headers=viewer)
        message = refused(response, 429, "THROTTLED")
        assert "restores 1 points a second" in message
        error = response.json()["errors"][0]
        assert error["extensions"]["restoreRate"] == 1
        wait = error["extensions"]["retryAfterSeconds"]
        assert response.headers["retry-after"] == str(wait) and 40 <= wait <= 45
        assert response.json()["extensions"]["cost"]["throttleStatus"]["currentlyAvailable"] < 52
        # another key, and a client without one, have buckets of their own
        assert "errors" not in gql(client, query, key="op-key")
        assert "errors" not in gql(client, query)
        # a cheap query still fits the first key's bucket
        assert "errors" not in gql(client, "{ __typename }", key="view-key")


API_DOC = Path(__file__).resolve().parents[3] / "docs" / "api.md"


def _rows(section: str) -> dict[str, str]:
    """A Markdown table's rows: the first cell (backticks dropped) -> the second."""
    rows = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 2 and not set(cells[0]) <= set("-: "):
            rows[cells[0].strip("`")] = cells[1]
    return rows


def _number(cell: str) -> int:
    found = re.search(r"\d[\d,]*", cell)
    assert found is not None, cell
    return int(found.group().replace(",", ""))


def test_the_documented_limits_are_the_code_s() -> None:
    """docs/api.md's Limits section states each figure the code enforces: its tables
    are read and held to the constants."""
    text = API_DOC.read_text()
    section = text[text.index("### Limits") :]
    section = section[: section.index("\n## ")]
    rows = _rows(section)
    settings = ApiSettings()
    figures = {
        "query depth": settings.max_depth,
        "tokens in a document": settings.max_tokens,
        "aliases": settings.max_aliases,
        "query cost": settings.max_cost,
        "bucket per client": settings.cost_bucket,
        "restore rate": settings.cost_restore_rate,
        "request body": MAX_REQUEST_BYTES,
        "idempotency key": MAX_KEY_CHARS,
        "stored idempotency keys": MAX_STORED_KEYS,
        "a stored answer is kept": int(KEY_TTL_S // 3600),
        "a scalar or an enum": 0,
        "an object, or a list of objects": OBJECT_COST,
        "a connection": CONNECTION_COST,
        "a mutation": MUTATION_COST,
        "a connection's page without first": DEFAULT_PAGE_SIZE,
    }
    assert {name: _number(rows[name]) for name in figures} == figures


def test_the_cost_limits_are_set_from_the_environment() -> None:
    env = {
        "RETAILTWIN_MAX_COST": "500",
        "RETAILTWIN_COST_BUCKET": "800",
        "RETAILTWIN_COST_RESTORE_RATE": "40",
    }
    settings = ApiSettings.from_env(env)
    assert (settings.max_cost, settings.cost_bucket, settings.cost_restore_rate) == (500, 800, 40)
    with pytest.raises(SettingsError, match="RETAILTWIN_MAX_COST: expected a positive integer"):
        ApiSettings.from_env({"RETAILTWIN_MAX_COST": "0"})
    strict = ApiSettings(api_keys=KEYS, max_cost=10)
    with TestClient(graph_app(strict)) as client:
        body = gql(client, "{ orders(first: 9) { nodes { id } } }", status=400)
        assert body["errors"][0]["extensions"]["code"] == "MAX_COST_EXCEEDED"
        assert "errors" not in gql(client, "{ orders(first: 8) { nodes { id } } }")
