"""Small guards, tested alone: cursors are checked whole and in their order, page sizes
are bounded either way, repeated validation errors are merged, idempotency keys have a
length limit and their locks do not outlive requests."""

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
from graph.types.pagination import PageArgs, decode_cursor, encode_cursor, window
from graph.types.sorting import (
    InventoryPositionSortKeys,
    OrderSortKeys,
    PayoutSortKeys,
    ReturnSortKeys,
    SkuSortKeys,
)
from graph.validation_errors import readable
from hub.adapters.read_model import Window
from hub.adapters.read_model.sorting import (
    OrderSort,
    PayoutSort,
    PositionSort,
    ReturnSort,
    SkuSort,
    Sort,
)


def _raw(value: object) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).decode()


NEWEST = Sort(OrderSort.CREATED_AT, descending=True)
BEST = Sort(SkuSort.POPULARITY)


def test_a_cursor_is_its_list_tag_its_order_and_a_whole_sort_key_or_bad_input() -> None:
    cursor = encode_cursor("orders", NEWEST, (12.5, "W-1"))
    assert decode_cursor("orders", NEWEST, cursor, "after") == (12.5, "W-1")
    assert decode_cursor("skus", BEST, encode_cursor("skus", BEST, (3, "SKU-1")), "before") == (
        3,
        "SKU-1",
    )
    for kind, sort, bad in (
        ("orders", NEWEST, _raw(["orders"])),  # no order, no key
        ("orders", NEWEST, _raw(["orders", "CREATED_AT", True])),  # no key at all
        ("orders", NEWEST, _raw(["orders", "CREATED_AT", True, 12.5])),  # too short
        ("orders", NEWEST, _raw(["orders", "CREATED_AT", True, 12.5, "W-1", "x"])),
        ("orders", NEWEST, _raw(["orders", "CREATED_AT", True, "late", "W-1"])),
        ("orders", NEWEST, _raw(["orders", "CREATED_AT", True, True, "W-1"])),
        ("orders", NEWEST, _raw(["orders", "CREATED_AT", True, 12.5, None])),
        ("skus", BEST, _raw(["skus", "POPULARITY", False, 1.5, "SKU-1"])),  # a rank is whole
        ("orders", NEWEST, _raw({"orders": 1})),
        ("orders", NEWEST, _raw(["orders", {"a": 1}, True, 12.5, "W-1"])),  # no sort key
        ("orders", NEWEST, _raw(["orders", "POPULARITY", True, 12.5, "W-1"])),  # not orders'
        ("orders", NEWEST, _raw(["orders", "CREATED_AT", 1, 12.5, "W-1"])),  # no direction
        ("orders", NEWEST, _raw(["returns", "CREATED_AT", True, 1.0, "RMA-1"])),
        ("orders", NEWEST, "not base64 at all!"),
        ("orders", NEWEST, base64.urlsafe_b64encode(b"\xff\xfe").decode()),
    ):
        with pytest.raises(BadInput) as refused:
            decode_cursor(kind, sort, bad, "after")
        assert refused.value.extensions == {"code": "BAD_USER_INPUT", "argument": "after"}
        assert "is not a cursor of this" in refused.value.message


def test_a_cursor_of_another_order_of_the_same_list_is_refused_naming_both() -> None:
    cursor = encode_cursor("orders", NEWEST, (12.5, "W-1"))
    for other in (
        Sort(OrderSort.CREATED_AT),  # reversed
        Sort(OrderSort.TOTAL_PRICE, descending=True),  # another key
    ):
        with pytest.raises(BadInput) as refused:
            decode_cursor("orders", other, cursor, "before")
        assert refused.value.extensions == {"code": "BAD_USER_INPUT", "argument": "before"}
        message = refused.value.message
        assert "by sortKey CREATED_AT, descending" in message
        assert f"sorts it by sortKey {other.key.name}, " in message


def test_first_and_last_together_are_refused_and_last_is_bounded_like_first() -> None:
    with pytest.raises(BadInput) as both:
        window("orders", NEWEST, PageArgs(first=5, last=5))
    assert "both `first` and `last`" in both.value.message
    for args, argument in ((PageArgs(last=0), "last"), (PageArgs(last=101), "last")):
        with pytest.raises(BadInput) as refused:
            window("orders", NEWEST, args)
        assert refused.value.extensions == {"code": "BAD_USER_INPUT", "argument": argument}
    assert window("orders", NEWEST, PageArgs(last=100)) == Window(100, from_end=True)
    assert window("orders", NEWEST, PageArgs()) == Window(20)


def test_the_api_sort_keys_are_the_read_models_member_for_member() -> None:
    for api, read_model in (
        (OrderSortKeys, OrderSort),
        (ReturnSortKeys, ReturnSort),
        (SkuSortKeys, SkuSort),
        (InventoryPositionSortKeys, PositionSort),
        (PayoutSortKeys, PayoutSort),
    ):
        assert [m.name for m in api] == [m.name for m in read_model]


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
