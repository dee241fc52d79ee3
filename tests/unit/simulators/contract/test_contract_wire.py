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
