"""The batch runner's archive of the hub's finished aggregates: orders and returns read
back from the run's temporary file equal, and a run that archives them judges the day
as one that kept them all in memory."""

from __future__ import annotations

from itertools import chain

from hub.aggregates import AggregateBook
from hub.model.order import Order, OrderLine, OrderStatus
from hub.model.packing import ORDER
from hub.model.returns import Return
from scenarios.checking.verdict import judge
from scenarios.spec.loader import load_scenario
from scenarios.twin.hub_archive import Archived, SpilledAggregates
from scenarios.twin.record_spill import RecordSpill
from scenarios.twin.runtime import run


def _order(n: int) -> Order:
    order = Order(f"W-{n}", "web", f"W-{n}", "C-1", 1.0, 2.0, [OrderLine(1, "SKU-1", n, 5, 1)])
    order.advance(OrderStatus.SHIPPED, 3.0, "wms", True)
    return order


def test_orders_archived_in_the_spill_read_back_in_order_and_once() -> None:
    book: AggregateBook[Order] = AggregateBook()
    book.archive_into(SpilledAggregates(RecordSpill().store(Archived), ORDER))
    for n in range(1, 6):
        book[f"W-{n}"] = _order(n)
    assert book.archive_finished(lambda order: order.lines[0].quantity % 2 == 1) == 3
    assert book.in_memory() == 2
    restored = book["W-3"]
    assert restored == _order(3) and book["W-3"] is restored
    assert [order.order_id for order in book.values()] == [f"W-{n}" for n in range(1, 6)]
    assert list(book.values()) == [_order(n) for n in range(1, 6)]


def test_a_run_archives_what_is_finished_and_is_judged_the_same() -> None:
    scenario = load_scenario("steady-day", ["scenario.scale=0.03"])
    result = run(scenario)
    orders = result.estate.hub.ctx.orders
    assert 0 < orders.in_memory() < len(orders) / 2
    verdict = judge(result, "steady-day", ["scenario.scale=0.03"])
    assert verdict.passed
    assert verdict.metrics["volumes"]["channel_orders"] == len(orders)


def test_the_exception_queue_is_read_from_memory_as_from_the_whole_archive() -> None:
    """The checker reads the queue among the unfinished aggregates only: the hub must
    never archive one in its exception queue."""
    result = run(load_scenario("estate-peak-weekday", ["scenario.scale=0.02"]))
    ctx = result.estate.hub.ctx
    queued = {
        aggregate_id(aggregate)
        for aggregate in chain(ctx.orders.values(), ctx.returns.values())
        if aggregate.exceptions
    }
    in_memory = {
        aggregate_id(aggregate)
        for aggregate in chain(ctx.orders.held_in_memory(), ctx.returns.held_in_memory())
        if aggregate.exceptions
    }
    assert queued and in_memory == queued
    assert ctx.orders.in_memory() < len(ctx.orders) / 2


def aggregate_id(aggregate: Order | Return) -> str:
    return aggregate.order_id if isinstance(aggregate, Order) else aggregate.return_id
