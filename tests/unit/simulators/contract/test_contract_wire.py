"""A published body from JSON takes the simulators' in-process shapes: rows as tuples."""

from __future__ import annotations

import json

from simulators import contract
from simulators.contract.registry import CHANNELS


def test_every_topics_example_survives_json_with_its_rows_as_tuples() -> None:
    for channel in CHANNELS.values():
        for name, topic in channel.topics.items():
            over_http = json.loads(json.dumps(topic.example))
            shaped = contract.published(channel.name, name, over_http)
            # the same values, only the sequences' kinds may differ
            assert json.loads(json.dumps(shaped)) == over_http, f"{channel.name}/{name}"


def test_a_web_inventory_feed_has_tuple_rows_in_a_list() -> None:
    body = {
        "items": [["SKU-00001", 264, [["DC-NORTH", 1], ["DC-SOUTH", 0]]]],
        "store_items": [["SKU-00001", "ST-0002", 12, 3]],
        "sent_at": 9405.0,
    }
    shaped = contract.published("web", "inventory", body)
    assert shaped["items"] == [("SKU-00001", 264, [("DC-NORTH", 1), ("DC-SOUTH", 0)])]
    assert type(shaped["items"]) is list
    assert type(shaped["items"][0][2]) is list  # the versions are an array of rows
    assert shaped["store_items"] == [("SKU-00001", "ST-0002", 12, 3)]
    assert shaped["sent_at"] == 9405.0


def test_a_field_the_schema_does_not_describe_is_left_as_it_came() -> None:
    body = {"items": [], "store_items": [], "sent_at": 1.0, "extra": [[1, 2]]}
    assert contract.published("web", "inventory", body)["extra"] == [[1, 2]]


def _kinds(value: object) -> object:
    """`value` with each number replaced by its Python type's name."""
    if isinstance(value, dict):
        return {key: _kinds(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_kinds(item) for item in value]
    return type(value).__name__ if isinstance(value, int | float) else value


def test_a_whole_number_sent_as_a_float_reaches_a_channel_as_an_int() -> None:
    """JSON Schema's integer admits 12.0; a channel's stock kept it as a float and wrote
    it back in its orders (`quantity: 1.0`), which a hub with typed integers refuses."""
    body = {
        "items": [["SKU-00001", 264.0, [["DC-NORTH", 1.0]]]],
        "store_items": [["SKU-00001", "ST-0002", 12.0, 3.0]],
        "sent_at": 9405.0,
    }
    assert not contract.validate_publish("web", "inventory", body)
    shaped = contract.published("web", "inventory", body)
    assert _kinds(shaped) == {
        "items": [["SKU-00001", "int", [["DC-NORTH", "int"]]]],
        "store_items": [["SKU-00001", "ST-0002", "int", "int"]],
        "sent_at": "float",  # a number: a time stays as it came
    }
    assert shaped["items"][0][1] == 264


def test_a_whole_number_sent_as_a_float_reaches_a_backend_as_an_int() -> None:
    body = {
        "ExternalRef": "W-0000001",
        "DocRef": "W-0000001",
        "SoldTo": "C-000386",
        "Channel": "web",
        "Plant": "DC-NORTH",
        "Items": [{"Material": "SKU-00001", "Qty": 3.0, "NetCents": 1e308, "TaxCents": 2999}],
    }
    assert not contract.validate_request("erp", "create_sales_order", body)
    shaped = contract.requested("erp", "create_sales_order", body)
    item = shaped["Items"][0]
    assert (type(item["Qty"]), item["Qty"]) == (int, 3)
    assert (type(item["NetCents"]), item["NetCents"]) == (int, int(1e308))
    assert body["Items"][0]["Qty"] == 3.0  # the body the face read is left as it was
