"""How the timeline ties a message to its order and return (`TimelineRecorder.correlate`).

The recorder settles a message that names no order and no return in one pass over its
keys, and a backend's request from the correlation made on the wire a moment before;
both are shortcuts, so these tests pin that they answer what the full reading does."""

from __future__ import annotations

import math
from collections import OrderedDict, defaultdict
from types import MappingProxyType
from typing import Any

from scenarios.twin.timeline import TimelineRecorder
from simulators.network import LinkState


def test_a_stock_feed_and_a_till_sale_name_nothing() -> None:
    recorder = TimelineRecorder()
    assert recorder.correlate("inventory", {"items": [], "sent_at": 1.0}) is None
    sale = {"kind": "sale", "store": "ST-1", "txn": "ST-1-T1", "ts": 2.0, "lines": []}
    assert recorder.correlate("sale", sale) is None


def test_a_counter_return_is_named_by_its_till_transaction() -> None:
    recorder = TimelineRecorder()
    counter_return = {"kind": "return", "store": "ST-1", "txn": "RT-ST-1-T2"}
    assert recorder.correlate("return", counter_return) == ("", "RT-ST-1-T2")


def test_every_key_an_order_or_a_return_is_read_from_still_counts() -> None:
    recorder = TimelineRecorder()
    assert recorder.correlate("create_sales_order", {"ExternalRef": "W-1"}) == ("W-1", "")
    assert recorder.correlate("post_delivery_invoice", {"DocRef": "INV-W-2"}) == ("W-2", "")
    assert recorder.correlate("post_credit_memo", {"DocRef": "CM-RMA-3"}) == ("", "RMA-3")
    assert recorder.correlate("authorize", {"reference": "W-4"}) == ("W-4", "")
    assert recorder.correlate("refund", {"reference": "RMA-5"}) == ("", "RMA-5")


def test_a_request_is_correlated_again_from_the_wire_only_while_nothing_was_learnt() -> None:
    recorder = TimelineRecorder()
    capture: dict[str, Any] = {"authorization": "auth_1", "amount": 100}
    # on the wire, before the authorisation's answer named its order: nothing
    assert recorder.correlate("capture", capture) is None
    assert recorder.correlate_again("capture", capture) is None
    # the authorisation's answer ties auth_1 to W-1: the remembered answer is stale
    recorder.answering({"id": "auth_1"}, ("W-1", ""), "authorize", 200)
    assert recorder.correlate_again("capture", capture) == ("W-1", "")


def test_another_body_or_kind_is_correlated_afresh() -> None:
    recorder = TimelineRecorder()
    first = {"orderRef": "W-1"}
    assert recorder.correlate("release_order", first) == ("W-1", "")
    assert recorder.correlate_again("release_order", {"orderRef": "W-2"}) == ("W-2", "")
    refund = {"reference": "RMA-1"}
    assert recorder.correlate("authorize", refund) == ("RMA-1", "")
    assert recorder.correlate_again("refund", refund) == ("", "RMA-1")


def test_a_mapping_that_is_no_dict_is_read_as_a_dict_is_and_anything_else_names_nothing() -> None:
    """A dict is told by its type, without the ABC's check: any other Mapping still
    counts, and a body that is no Mapping names nothing."""
    recorder = TimelineRecorder()
    assert recorder.correlate("create_sales_order", MappingProxyType({"ExternalRef": "W-1"})) == (
        "W-1",
        "",
    )
    assert recorder.correlate("create_sales_order", [("ExternalRef", "W-1")]) is None
    assert recorder.correlate("create_sales_order", "ExternalRef") is None


def test_a_dict_of_another_type_is_read_as_a_dict_and_left_as_it_was() -> None:
    """Bodies are read through dict operations (`_as_dict`): a subclass of dict is one
    too, read by its own `get`, so a defaultdict names what it holds and gains no key."""
    recorder = TimelineRecorder()
    body: defaultdict[str, str] = defaultdict(str, {"ExternalRef": "W-1"})
    assert recorder.correlate("create_sales_order", body) == ("W-1", "")
    assert dict(body) == {"ExternalRef": "W-1"}
    counter_return = OrderedDict([("kind", "return"), ("txn", "RT-ST-1-T2")])
    assert recorder.correlate("return", counter_return) == ("", "RT-ST-1-T2")


def test_a_lag_is_never_negative_and_keeps_its_value() -> None:
    """Each message's lag to the hub, from the source's own time of the fact (or when
    it was sent): a source clock ahead of the hub's counts as no lag, as +0.0."""
    recorder = TimelineRecorder()
    delivered: list[int] = []

    def deliver(message_id: int, body: Any) -> None:
        delivered.append(message_id)

    link = LinkState("wms->hub", 0, 0.0, 0.0, 0.0, src="wms", dst="hub")
    for message_id, (at, body) in enumerate(
        [(10.0, {"ts": 4.5}), (10.0, {"ts": 12.0}), (10.0, {"ts": 10.0}), (10.0, {"items": []})]
    ):
        recorder.observed(at, link, message_id, body, (deliver, 7.0, "feed", None, ""))
    lags = list(recorder.source_lag_s["wms"])
    assert lags == [5.5, 0.0, 0.0, 3.0]  # the last from when it was sent
    assert all(math.copysign(1.0, lag) == 1.0 for lag in lags)
    assert delivered == [0, 1, 2, 3]
