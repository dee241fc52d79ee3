"""Guarding the API: roles, limits, error masking, GraphQL-over-HTTP, a read-only run."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from graph_support import gql, graph_app
from starlette.testclient import TestClient

from graph.settings import ApiSettings, Role


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(graph_app()) as test_client:
        yield test_client


def test_keys_decide_the_role(tmp_path: Path) -> None:
    strict = ApiSettings(api_keys={"view-key": Role.VIEWER}, anonymous_role=None)
    with TestClient(graph_app(strict)) as client:
        anonymous = client.post("/graphql", json={"query": "{ __typename }"})
        assert anonymous.status_code == 401 and "API key is required" in anonymous.text
        unknown = client.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"authorization": "Bearer wrong"}
        )
        assert unknown.status_code == 401 and "unknown API key" in unknown.text
        viewer = client.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"x-api-key": "view-key"}
        )
        assert viewer.json() == {"data": {"__typename": "Query"}}


def test_operator_mutations_are_forbidden_without_the_operator_role(client: TestClient) -> None:
    mutation = """mutation { deadLettersReplay(input: {idempotencyKey: "x"}) {
        replayedCount userErrors { code } } }"""
    for key in (None, "view-key"):
        body = gql(client, mutation, key=key)
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert "operator role" in body["errors"][0]["message"]
    allowed = gql(client, mutation, key="op-key")["data"]["deadLettersReplay"]
    assert allowed["userErrors"] == [{"code": "READ_ONLY"}]


def test_a_finished_run_is_read_only(client: TestClient) -> None:
    body = gql(
        client,
        """mutation { orderCreate(input: {idempotencyKey: "k",
        lines: [{skuId: "SKU-00001", quantity: 1}]}) { order { id } userErrors {
        field message code } } }""",
    )
    errors = body["data"]["orderCreate"]["userErrors"]
    assert errors[0]["code"] == "READ_ONLY" and "read-only" in errors[0]["message"]


def test_depth_alias_and_token_limits_refuse_before_execution(client: TestClient) -> None:
    deep = "{ orders { nodes { " + "returns { order { " * 7 + "id" + " } }" * 7 + " } } }"
    body = gql(client, deep, status=400)
    assert "data" not in body and "exceeds maximum operation depth" in body["errors"][0]["message"]
    aliases = "{ " + " ".join(f"a{i}: __typename" for i in range(16)) + " }"
    body = gql(client, aliases, status=400)
    assert "aliases" in body["errors"][0]["message"]
    tokens = "{ " + " ".join("__typename" for _ in range(2100)) + " }"
    body = gql(client, tokens, status=400)
    assert "token" in body["errors"][0]["message"].lower()


def test_request_errors_are_400_without_data_and_keep_their_message(client: TestClient) -> None:
    body = gql(client, "{ orders(first: 2) { nope } }", status=400)
    assert "data" not in body
    assert "Cannot query field 'nope' on type 'OrderConnection'" in body["errors"][0]["message"]
    body = gql(client, "{ orders(first: ", status=400)
    assert "Syntax Error" in body["errors"][0]["message"]
    response = client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"accept": "application/json"}
    )
    assert response.headers["content-type"].startswith("application/json")
    response = client.post(
        "/graphql",
        json={"query": "{ __typename }"},
        headers={"accept": "application/graphql-response+json"},
    )
    assert response.headers["content-type"].startswith("application/graphql-response+json")
    got = client.get("/graphql", params={"query": "{ __typename }"})
    assert got.json() == {"data": {"__typename": "Query"}}


def test_internal_errors_are_masked(tmp_path: Path) -> None:
    empty = tmp_path / "empty.sqlite"
    sqlite3.connect(empty).close()  # a database without the read model's tables
    with TestClient(graph_app(db=empty)) as client:
        body = gql(client, "{ orders { totalCount } }")
        assert body["errors"][0]["message"] == "Unexpected error."
        assert "no such table" not in str(body)
        body = gql(client, "{ orders { nope } }", status=400)
        assert "Cannot query field 'nope'" in body["errors"][0]["message"]
