"""Guarding the API: roles, limits, error masking, GraphQL-over-HTTP, a read-only run."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from graph_support import gql, graph_app
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from graph.settings import ApiSettings, Role, SettingsError


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(graph_app()) as test_client:
        yield test_client


def test_keys_decide_the_role(tmp_path: Path) -> None:
    strict = ApiSettings(api_keys={"view-key": Role.VIEWER}, anonymous_role=None)
    with TestClient(graph_app(strict)) as client:
        anonymous = client.post("/graphql", json={"query": "{ __typename }"})
        assert anonymous.status_code == 401 and "API key is required" in anonymous.text
        # GraphiQL's page still loads: its requests carry the key from its Headers tab
        page = client.get("/graphql", headers={"accept": "text/html"})
        assert page.status_code == 200 and "GraphiQL" in page.text
        unknown = client.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"authorization": "Bearer wrong"}
        )
        assert unknown.status_code == 401
        assert unknown.headers["www-authenticate"].startswith("Bearer")
        assert unknown.json() == {
            "errors": [{"message": "unknown API key", "extensions": {"code": "UNAUTHENTICATED"}}]
        }
        viewer = client.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"x-api-key": "view-key"}
        )
        assert viewer.json()["data"] == {"__typename": "Query"}


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


def test_a_finished_run_refuses_subscriptions_rather_than_stay_silent(
    client: TestClient,
) -> None:
    for query in (
        "subscription { slaBreached { name } }",
        'subscription { orderUpdated(id: "W-0000001") { id } }',
        "subscription { operationsUpdated { simTime } }",
    ):
        with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
            ws.send_json({"type": "connection_init", "payload": {}})
            assert ws.receive_json()["type"] == "connection_ack"
            ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": query}})
            message = ws.receive_json()
            assert "finished run, which never changes" in message["payload"]["errors"][0]["message"]
            assert ws.receive_json() == {"id": "1", "type": "complete"}


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
    assert got.json()["data"] == {"__typename": "Query"}


def test_internal_errors_are_masked(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The client sees "Unexpected error."; the server's log keeps the traceback. A
    client's own mistakes are answered with their messages and not logged as if the
    server had failed."""
    empty = tmp_path / "empty.sqlite"
    sqlite3.connect(empty).close()  # a database without the read model's tables
    with caplog.at_level(logging.ERROR, logger="strawberry.execution"):
        with TestClient(graph_app(db=empty)) as client:
            body = gql(client, "{ orders { totalCount } }")
            assert body["errors"][0]["message"] == "Unexpected error."
            assert "no such table" not in str(body)
            logged = [r for r in caplog.records if r.name == "strawberry.execution"]
            assert len(logged) == 1 and logged[0].exc_info is not None
            assert "no such table" in caplog.text
            caplog.clear()
            body = gql(client, "{ orders { nope } }", status=400)
            assert "Cannot query field 'nope'" in body["errors"][0]["message"]
            body = gql(client, "{ orders(first: 500) { totalCount } }")
            assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        assert not [r for r in caplog.records if r.name == "strawberry.execution"]


def test_requests_refused_before_graphql_runs_still_answer_graphql_json(
    client: TestClient,
) -> None:
    """A client's JSON parser never meets plain text: every refusal is `{"errors": [...]}`
    with a code, in the media type the client accepts."""

    def refused(response: Any, status: int, code: str) -> str:
        assert response.status_code == status, response.text
        body = response.json()
        assert list(body) == ["errors"] and body["errors"][0]["extensions"]["code"] == code
        message: str = body["errors"][0]["message"]
        return message

    accept = {"accept": "application/graphql-response+json"}
    no_query = client.post("/graphql", json={}, headers=accept)
    assert "No GraphQL query" in refused(no_query, 400, "BAD_REQUEST")
    assert no_query.headers["content-type"].startswith("application/graphql-response+json")
    not_json = client.post(
        "/graphql", content=b"{nope", headers={"content-type": "application/json"}
    )
    assert "JSON" in refused(not_json, 400, "BAD_REQUEST")
    assert not_json.headers["content-type"].startswith("application/json")
    plain = client.post(
        "/graphql", content=b"{ __typename }", headers={"content-type": "text/plain"}
    )
    assert "application/json" in refused(plain, 415, "UNSUPPORTED_MEDIA_TYPE")
    mutation = 'mutation { deadLettersReplay(input: {idempotencyKey: "g"}) { replayedCount } }'
    over_get = client.get("/graphql", params={"query": mutation})
    assert "POST" in refused(over_get, 405, "METHOD_NOT_ALLOWED")
    assert over_get.headers["allow"] == "POST"
    # Apollo Client's persisted-query link sends a hash first; this answer makes it
    # fall back to sending queries in full
    apq = {"persistedQuery": {"version": 1, "sha256Hash": "ab" * 32}}
    hashed = client.post("/graphql", json={"extensions": apq})
    assert refused(hashed, 400, "PERSISTED_QUERY_NOT_SUPPORTED") == "PersistedQueryNotSupported"
    put = client.put("/graphql", json={"query": "{ __typename }"})
    refused(put, 405, "METHOD_NOT_ALLOWED")
    assert put.headers["allow"] == "GET, POST"


def test_a_frontend_on_its_own_dev_server_may_call_the_api(client: TestClient) -> None:
    """A React app on localhost:5173 calling the twin on another port is cross-origin:
    CORS answers its preflight, and its websocket is accepted. A page from elsewhere
    is neither, unless configured."""
    preflight = {"access-control-request-method": "POST"}
    preflight["access-control-request-headers"] = "content-type, authorization"
    local = client.options("/graphql", headers={"origin": "http://localhost:5173", **preflight})
    assert local.status_code == 200
    assert local.headers["access-control-allow-origin"] == "http://localhost:5173"
    assert "authorization" in local.headers["access-control-allow-headers"].lower()
    post = client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={"origin": "http://127.0.0.1:3000"}
    )
    assert post.headers["access-control-allow-origin"] == "http://127.0.0.1:3000"
    foreign = client.options("/graphql", headers={"origin": "https://evil.example", **preflight})
    assert "access-control-allow-origin" not in foreign.headers

    hello = {"type": "connection_init", "payload": {}}
    with client.websocket_connect(
        "/graphql",
        subprotocols=["graphql-transport-ws"],
        headers={"origin": "http://localhost:5173"},
    ) as ws:
        ws.send_json(hello)
        assert ws.receive_json()["type"] == "connection_ack"
    with (
        pytest.raises(WebSocketDisconnect) as refused,
        client.websocket_connect(
            "/graphql",
            subprotocols=["graphql-transport-ws"],
            headers={"origin": "https://evil.example"},
        ),
    ):
        pass
    assert refused.value.code == 1008  # policy violation, before any message

    settings = ApiSettings(cors_origins=("https://shop.example.com",))
    with TestClient(graph_app(settings)) as configured:
        allowed = configured.options(
            "/graphql", headers={"origin": "https://shop.example.com", **preflight}
        )
        assert allowed.headers["access-control-allow-origin"] == "https://shop.example.com"


def test_cors_origins_are_checked() -> None:
    env = {"RETAILTWIN_CORS_ORIGINS": "https://a.example, http://b.example:8080/"}
    assert ApiSettings.from_env(env).cors_origins == ("https://a.example", "http://b.example:8080")
    with pytest.raises(SettingsError, match="expected scheme://host"):
        ApiSettings.from_env({"RETAILTWIN_CORS_ORIGINS": "a.example/path"})
