"""An aggregate's snapshot (`OrderSnapshot`, `ReturnSnapshot`, in
hub/adapters/read_model/projection.py) is a plain class, not a dataclass, so that the
compiled build constructs it natively: it must still hold what it is given, as the
dataclass did, with an order's fulfillments a list of its own when none are given."""

from __future__ import annotations

from dataclasses import is_dataclass
from typing import Any

from hub.adapters.read_model.projection import OrderSnapshot, ReturnSnapshot
from tests.read_model_lists_support import order, returned


def test_a_snapshot_holds_what_it_is_given() -> None:
    snapshot = order(1, 10.0)
    fulfilments: list[Any] = []
    made = OrderSnapshot(snapshot.order, [], [], [], [], fulfilments)
    assert made.order is snapshot.order and made.fulfillments is fulfilments
    ret = returned(1, 20.0)
    again = ReturnSnapshot(ret.ret, ret.lines, ret.history)
    assert (again.ret, again.lines, again.history) == (ret.ret, ret.lines, ret.history)


def test_each_order_without_fulfilments_gets_a_list_of_its_own() -> None:
    one, two = order(1, 10.0), order(2, 20.0)
    assert one.fulfillments == [] and one.fulfillments is not two.fulfillments


def test_no_snapshot_is_built_by_dataclasses() -> None:
    assert not is_dataclass(OrderSnapshot) and not is_dataclass(ReturnSnapshot)
