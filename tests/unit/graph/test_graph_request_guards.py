"""Small guards, tested alone: cursors are checked whole, repeated validation errors are
merged, idempotency keys have a length limit and their locks do not outlive requests."""

from __future__ import annotations

import asyncio
import base64
import json

import pytest
from graphql import GraphQLError, parse, validate

from graph.control import Outcome, Problem
from graph.errors import BadInput
from graph.idempotency import MAX_KEY_CHARS, accepted, check_key
from graph.key_locks import KeyLocks
from graph.schema import composed_schema
from graph.types.pagination import decode_cursor, encode_cursor
from graph.validation_errors import readable


def _raw(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


def test_a_cursor_is_its_list_tag_and_a_whole_sort_key_or_bad_input() -> None:
    assert decode_cursor("orders", encode_cursor("orders", (12.5, "W-1"))) == (12.5, "W-1")
    assert decode_cursor("skus", encode_cursor("skus", (3, "SKU-1"))) == (3, "SKU-1")
    for kind, bad in (
        ("orders", _raw(["orders"])),  # no key at all: reached SQL as an empty tuple
        ("orders", _raw(["orders", 12.5])),  # too short
        ("orders", _raw(["orders", 12.5, "W-1", "extra"])),  # too long
        ("orders", _raw(["orders", "late", "W-1"])),  # a string where the time is
        ("orders", _raw(["orders", True, "W-1"])),
        ("orders", _raw(["orders", 12.5, None])),
        ("skus", _raw(["skus", 1.5, "SKU-1"])),  # a rank is whole
        ("orders", _raw({"orders": 1})),
        ("orders", _raw(["returns", 1.0, "RMA-1"])),  # another list's
        ("orders", "not base64 at all!"),
        ("orders", base64.urlsafe_b64encode(b"\xff\xfe").decode()),
    ):
        with pytest.raises(BadInput) as refused:
            decode_cursor(kind, bad)
        assert refused.value.extensions == {"code": "BAD_USER_INPUT", "argument": "after"}
        assert "is not a cursor of this" in refused.value.message


def test_a_field_repeated_hundreds_of_times_gets_one_clear_error() -> None:
    schema = composed_schema()._schema
    document = parse("{ orders { " + "nope " * 700 + "} }")
    errors = validate(schema, document)
    assert errors[-1].message.startswith("Too many validation errors")  # graphql-core's
    merged = readable(errors)
    assert len(merged) == 2
    assert merged[0].message == (
        "Cannot query field 'nope' on type 'OrderConnection'. Did you mean 'nodes'? "
        "(100 or more times)"
    )
    assert merged[0].locations is not None and len(merged[0].locations) == 10
    assert "validation stopped after 100 errors" in merged[1].message
    assert "Validation aborted" not in " ".join(e.message for e in merged)
    few = [GraphQLError("a"), GraphQLError("b"), GraphQLError("a")]
    assert [e.message for e in readable(few)] == ["a (2 times)", "b"]


def test_idempotency_keys_have_a_length_limit() -> None:
    check_key("k" * MAX_KEY_CHARS)
    with pytest.raises(BadInput) as refused:
        check_key("k" * (MAX_KEY_CHARS + 1))
    assert refused.value.extensions == {
        "code": "BAD_USER_INPUT",
        "argument": "input.idempotencyKey",
    }
    assert f"at most {MAX_KEY_CHARS} characters, got {MAX_KEY_CHARS + 1}" in refused.value.message


def test_only_accepted_requests_are_stored_under_their_key() -> None:
    refused = Outcome(problems=(Problem(("input", "orderId"), "no order", "NOT_FOUND"),))
    assert accepted(Outcome(id="W-1"))
    assert accepted(Outcome(data={"replayed": 0}))
    assert not accepted(refused)
    # the channel took the order but the hub has not recorded it: it was carried out
    late = Outcome(id="W-2", problems=(Problem(("input",), "later", "NOT_YET_VISIBLE"),))
    assert accepted(late)


def test_key_locks_serialise_one_key_and_are_dropped_when_free() -> None:
    locks = KeyLocks()
    order: list[str] = []

    async def use(key: str, name: str) -> None:
        async with locks.hold(key):
            order.append(f"{name} in")
            await asyncio.sleep(0.01)
            order.append(f"{name} out")

    async def main() -> int:
        await asyncio.gather(use("k", "a"), use("k", "b"), use("other", "c"))
        return len(locks)

    assert asyncio.run(main()) == 0
    assert order.index("a out") < order.index("b in")
