"""The cross-system view of an order (scenarios/twin/projection/cross_system.py) reads
each of the warehouse's parts of an order once: a finished part is read back from the
run's spill, a query and a copy each, and the read model's writer builds the view of
every order of a finished run."""

from __future__ import annotations

from collections import Counter
from typing import Any

from hub.adapters.read_model.records import SystemRecordRecord
from scenarios.spec.loader import load_scenario
from scenarios.twin.projection.cross_system import GatewayIndex, order_view
from scenarios.twin.runtime import run


class _CountingTable:
    """A record table that counts the reads of each key."""

    def __init__(self, table: Any) -> None:
        self.table = table
        self.reads: Counter[str] = Counter()

    def __getitem__(self, key: str) -> Any:
        self.reads[key] += 1
        return self.table[key]

    def get(self, key: str) -> Any:
        self.reads[key] += 1
        return self.table.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self.table


def test_each_part_of_an_order_is_read_once_and_judged_as_the_wms_judges_it() -> None:
    # drop-ship partners: orders shipped in parts, a part each
    result = run(load_scenario("estate-peak-weekday", ["scenario.scale=0.02"]))
    wms = result.estate.wms
    orders = list(result.estate.hub.ctx.orders.values())
    releases = {order.order_id: wms.order_release(order.order_id) for order in orders}
    counting = _CountingTable(wms.legs._table)
    wms.legs._table = counting
    index = GatewayIndex()
    index.refresh(result)
    views = {order.order_id: order_view(result, order, index) for order in orders}
    assert counting.reads and max(counting.reads.values()) == 1
    split = [ref for ref in views if ref in wms.legs._legs and len(wms.legs._legs[ref]) > 1]
    assert split  # some orders came in parts, judged as one release
    for ref, (records, sync) in views.items():
        release = releases[ref]
        for problem in (p for p in sync.disagreements if p["system"] == "wms"):
            # the WMS's own status of the order's release, as `Wms.order_release` makes it
            assert problem["system_value"] == ("none" if release is None else release.status)
        made = [SystemRecordRecord(*row) for row in records]
        parts = [r for r in made if r.system != "erp" and "dc" in r.fields]
        assert len(parts) == len(wms.legs.get(ref) or ())
