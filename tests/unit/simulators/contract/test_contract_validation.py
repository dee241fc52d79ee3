"""The validators the HTTP face calls: they accept what the contract documents, and name
the field and what was expected when they refuse.

Also: every schema in the tables is a valid draft 2020-12 schema, every example passes
its own schema, and the vocabularies the checker reads (order and return statuses, the
ERP's accounts) are the hub's own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import jsonschema_rs
import pytest

from hub.model import ledger
from hub.model.order import OrderStatus
from hub.model.returns import ReturnStatus
from simulators.contract import (
    CHANNELS,
    SOURCES,
    SYSTEMS,
    UnknownEndpoint,
    correlation_id,
    known,
    known_topic,
    validate_message,
    validate_publish,
    validate_request,
)
from simulators.contract.channels import ORDER_STATUSES, RETURN_STATUSES
from simulators.contract.erp import ACCOUNTS
from simulators.contract.face import PROBLEMS, unprocessable


def _schemas() -> Iterator[tuple[str, dict[str, Any]]]:
    for system in SYSTEMS.values():
        for name, operation in system.operations.items():
            yield f"{system.name}/{name} request", operation.request
            for status, answers in system.answers(name).items():
                for answer in answers:
                    yield f"{system.name}/{name} {status}", answer.body
    for channel in CHANNELS.values():
        for name, topic in channel.topics.items():
            yield f"{channel.name}/{name}", topic.schema
    for source in SOURCES.values():
        for kind, message in source.messages.items():
            yield f"{source.name} {kind}", message.schema


def test_every_schema_is_a_valid_draft_2020_12_schema() -> None:
    invalid = [where for where, schema in _schemas() if not jsonschema_rs.meta.is_valid(schema)]
    assert invalid == []


def test_every_example_passes_its_own_schema() -> None:
    problems: list[str] = []
    for system in SYSTEMS.values():
        for name, operation in system.operations.items():
            problems += validate_request(system.name, name, dict(operation.example))
    for channel in CHANNELS.values():
        for name, topic in channel.topics.items():
            problems += validate_publish(channel.name, name, dict(topic.example))
    for source in SOURCES.values():
        for message in source.messages.values():
            problems += validate_message(source.name, dict(message.example))
    assert problems == []


def test_each_message_names_its_kind_in_its_sources_field_and_has_a_title() -> None:
    for source in SOURCES.values():
        for kind, message in source.messages.items():
            field = message.schema["properties"][source.discriminator]
            assert field["const"] == kind
            assert source.discriminator in message.schema["required"]
            assert message.schema.get("title"), kind
            correlation = message.correlation
            assert not correlation or correlation in message.schema["required"], kind


def test_a_refusal_names_the_field_and_what_was_expected() -> None:
    body = {**SYSTEMS["erp"].operations["create_sales_order"].example}
    body["Items"] = [{"Material": "SKU-1", "Qty": "3", "NetCents": 1, "TaxCents": 0}]
    del body["DocRef"]
    body["Qtty"] = 3
    problems = validate_request("erp", "create_sales_order", body)
    assert problems == [
        'body: "DocRef" is a required property',
        'Items[0].Qty: "3" is not of type "integer"',
        "body: Additional properties are not allowed ('Qtty' was unexpected)",
    ]
    assert validate_request("wms", "release_order", [1]) == ['body: [1] is not of type "object"']


def test_a_publish_is_checked_row_by_row() -> None:
    feed = {"items": [["SKU-1", 3, [["DC-NORTH", "7"]]]], "store_items": [], "sent_at": 1.0}
    assert validate_publish("web", "inventory", feed) == [
        'items[0][2][0][1]: "7" is not of type "integer"'
    ]
    notice = {"mpOrderId": "MP-1", "state": "shipped", "version": 2, "at": 5.0}
    assert validate_publish("marketplace", "order_status", notice) == [
        'state: "shipped" is not one of "RECEIVED", "ACCEPTED", "RELEASED", "PICKED", '
        '"READY_FOR_PICKUP", "SHIPPED", "COLLECTED", "CANCELLED"'
    ]


def test_unknown_endpoints_are_told_apart_from_bad_bodies() -> None:
    assert known("erp", "create_sales_order") and not known("erp", "delete_everything")
    assert not known("crm", "create_sales_order")
    assert known_topic("web", "inventory") and not known_topic("pos", "inventory")
    assert known_topic("pos", "prices")
    with pytest.raises(UnknownEndpoint):
        validate_request("erp", "delete_everything", {})
    with pytest.raises(UnknownEndpoint):
        validate_publish("web", "coupons", {})
    with pytest.raises(UnknownEndpoint):
        validate_message("crm", {})


def test_a_message_of_a_kind_its_source_does_not_send_is_refused() -> None:
    [problem] = validate_message("wms", {"msg": "ORDER_PLACED"})
    assert problem.startswith("msg: expected a kind of message wms sends (ORDER_PICKED")
    assert validate_message("web", "not an object") != []


def test_the_correlation_id_is_the_business_key_of_the_message() -> None:
    assert correlation_id("web", {"type": "return.requested", "rma": "RMA-W-1"}) == "RMA-W-1"
    assert correlation_id("pos", {"kind": "sale", "txn": "ST-1-T1"}) == "ST-1-T1"
    assert correlation_id("wms", {"msg": "SHIPMENT_CONFIRMED", "orderRef": "W-1"}) == "W-1"
    assert correlation_id("erp", {"type": "import_result", "DocRef": "INV-W-1"}) == "INV-W-1"
    assert correlation_id("twin", {"type": "day.closing", "at": 1.0}) is None
    assert correlation_id("web", {"type": "gossip"}) is None


def test_the_status_vocabularies_are_the_hubs_in_rank_order() -> None:
    assert tuple(s.label for s in sorted(OrderStatus)) == ORDER_STATUSES
    assert tuple(s.label for s in sorted(ReturnStatus)) == RETURN_STATUSES


def test_the_accounts_are_the_ones_the_checker_sums() -> None:
    assert set(ACCOUNTS) == {
        ledger.CASH,
        ledger.TAX_PAYABLE,
        ledger.REVENUE,
        ledger.SALES_DISCOUNTS,
        ledger.SALES_RETURNS,
        ledger.TAX_TRUE_UP,
        ledger.MARKETPLACE_RECEIVABLE,
        ledger.TRADE_RECEIVABLE,
        ledger.UNAPPLIED_CASH,
        ledger.SETTLEMENT_CLAIMS,
        ledger.MARKETPLACE_FEES,
        ledger.CHARGEBACKS,
    }


def test_the_faces_422_body_is_the_documented_one() -> None:
    body = unprocessable("erp/create_sales_order", ['body: "DocRef" is a required property'])
    validator = jsonschema_rs.Draft202012Validator(PROBLEMS)
    assert validator.is_valid(body)
    assert body["error"] == "the body does not match erp/create_sales_order's request schema"


def test_every_example_message_has_its_correlation_id() -> None:
    for source in SOURCES.values():
        for message in source.messages.values():
            found = correlation_id(source.name, dict(message.example))
            expected = message.example.get(message.correlation) if message.correlation else None
            assert found == expected


def test_a_time_past_any_run_is_refused_naming_the_field() -> None:
    """A whole number past what a float holds passes JSON Schema's `number` unless it
    has a maximum; a channel read the status's time as a float and raised
    OverflowError inside the twin."""
    body = {"rma": "RMA-W-0000001", "status": "refunded", "at": 10**400}
    (problem,) = validate_publish("web", "return_status", body)
    assert problem.startswith("at: 1000") and "greater than the maximum of 1000000000" in problem
    assert not validate_publish("web", "return_status", {**body, "at": 14 * 86400.0})
