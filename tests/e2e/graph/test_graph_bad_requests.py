"""Requests the API cannot use, answered as the client's errors and never as a crash:
a body that is not a UTF-8 JSON object (400) or too large (413), a hand-made cursor, a
fault of no duration, an overlong idempotency key (BAD_USER_INPUT, naming the argument),
and a document with hundreds of one validation error (one readable error)."""

from __future__ import annotations

import base64
import json
from collections.abc import Iterator

import pytest
from graph_support import ACCEPT, gql, graph_app, refused
from starlette.testclient import TestClient

from graph.http import MAX_REQUEST_BYTES
from graph.idempotency import MAX_KEY_CHARS


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(graph_app()) as test_client:
        yield test_client


@pytest.mark.parametrize(
    "body",
    [b'"hello"', b"null", b"123", b"[1, 2]", b"true", b'[{"query": "{ __typename }"}]'],
)
def test_a_body_that_is_not_a_json_object_is_a_client_error(
    client: TestClient, body: bytes
) -> None:
    response = client.post(
        "/graphql", content=body, headers={**ACCEPT, "content-type": "application/json"}
    )
    assert "expected a JSON object" in refused(response, 400, "BAD_REQUEST")


def test_a_body_that_is_not_utf8_is_a_client_error(client: TestClient) -> None:
    body = b'{"query": "{ __typename }", "x": "\xff\xfe"}'
    response = client.post(
        "/graphql", content=body, headers={**ACCEPT, "content-type": "application/json"}
    )
    assert "not UTF-8" in refused(response, 400, "BAD_REQUEST")
    # GET's variables must be an object too
    got = client.get("/graphql", params={"query": "{ __typename }", "variables": "123"})
    assert "expected a JSON object" in refused(got, 400, "BAD_REQUEST")


def test_a_body_over_the_size_limit_is_413_whether_announced_or_streamed(
    client: TestClient,
) -> None:
    padding = "x" * MAX_REQUEST_BYTES
    big = json.dumps({"query": "{ __typename }", "variables": {"pad": padding}}).encode()
    announced = client.post(
        "/graphql", content=big, headers={**ACCEPT, "content-type": "application/json"}
    )
    assert str(MAX_REQUEST_BYTES) in refused(announced, 413, "PAYLOAD_TOO_LARGE")

    def chunks() -> Iterator[bytes]:  # no Content-Length: the body is counted as it comes
        for start in range(0, len(big), 65536):
            yield big[start : start + 65536]

    streamed = client.post(
        "/graphql", content=chunks(), headers={**ACCEPT, "content-type": "application/json"}
    )
    refused(streamed, 413, "PAYLOAD_TOO_LARGE")
    small = json.dumps({"query": "{ __typename }", "variables": {"pad": "x" * 1000}})
    fits = client.post(
        "/graphql", content=small, headers={**ACCEPT, "content-type": "application/json"}
    )
    assert fits.status_code == 200 and fits.json()["data"] == {"__typename": "Query"}


def _cursor(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        _cursor(["orders"]),
        _cursor(["orders", 1.0]),
        _cursor(["orders", 1.0, "W-1", 3]),
        _cursor(["orders", "x", "W-1"]),
        _cursor(["orders", {"a": 1}, "W-1"]),
    ],
)
def test_a_hand_made_cursor_is_bad_input_naming_the_argument(
    client: TestClient, cursor: str
) -> None:
    body = gql(client, "query($c: String) { orders(after: $c) { totalCount } }", {"c": cursor})
    assert body["data"] is None
    error = body["errors"][0]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "after"}
    assert error["message"].startswith(f"after: {cursor!r} is not a cursor of this orders list")


def test_a_fault_of_no_duration_and_an_overlong_key_are_bad_input(client: TestClient) -> None:
    inject = """mutation($input: FaultInjectInput!) { faultInject(input: $input) {
        fault { id } userErrors { code } } }"""
    for duration in (0, -5):
        body = gql(
            client,
            inject,
            {
                "input": {
                    "idempotencyKey": f"d{duration}",
                    "action": "START",
                    "target": "erp",
                    "kind": "OUTAGE",
                    "durationSeconds": duration,
                }
            },
            key="op-key",
        )
        error = body["errors"][0]
        assert error["extensions"] == {
            "code": "BAD_USER_INPUT",
            "argument": "input.durationSeconds",
        }
        assert "expected more than 0 simulated seconds" in error["message"]
    cancel = """mutation($input: OrderCancelInput!) { orderCancel(input: $input) {
        userErrors { code } } }"""
    too_long = {"input": {"idempotencyKey": "k" * (MAX_KEY_CHARS + 1), "orderId": "W-1"}}
    error = gql(client, cancel, too_long)["errors"][0]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "input.idempotencyKey"}
    longest = {"input": {"idempotencyKey": "k" * MAX_KEY_CHARS, "orderId": "W-1"}}
    answer = gql(client, cancel, longest)["data"]["orderCancel"]
    assert answer["userErrors"] == [{"code": "READ_ONLY"}]  # a finished run: but accepted


def test_a_field_repeated_700_times_gets_a_readable_error(client: TestClient) -> None:
    body = gql(client, "{ orders { " + "nope " * 700 + "} }", status=400)
    messages = [error["message"] for error in body["errors"]]
    assert messages[0].startswith("Cannot query field 'nope' on type 'OrderConnection'")
    assert messages[0].endswith("(100 or more times)")
    assert "validation stopped after 100 errors" in messages[1]
    assert len(messages) == 2 and not any("Validation aborted" in m for m in messages)
