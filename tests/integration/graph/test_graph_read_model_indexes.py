"""Every sort order of every list is read from an index, in either direction and from
either end: SQLite's plan for each page shows no temporary B-tree for its ORDER BY (the
sign of rows sorted after they are all read), so a page costs the rows it returns. A
table WITHOUT ROWID (hub/adapters/read_model/clustered.py) is itself its primary key's
B-tree: read in the key's order, its plan scans or searches the table, naming no index."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Connection, Table, create_engine, event

from hub.adapters.read_model import Window, tables
from hub.adapters.read_model.filters import PositionFilter, position_clauses
from hub.adapters.read_model.keyset import read_page
from hub.adapters.read_model.sorting import OrderSort, PositionSort, ReturnSort, SkuSort, Sort

LISTS = {
    OrderSort: tables.orders,
    ReturnSort: tables.returns,
    SkuSort: tables.skus,
    PositionSort: tables.positions,
}

ORDERS = [Sort(key, descending) for keys in LISTS for key in keys for descending in (False, True)]


def _plans(conn: Connection, sort: Sort, where: list[Any]) -> list[str]:
    """The query plan of each page statement, read from the start and from the end of a
    range between two cursors."""
    seen: list[tuple[str, Any]] = []

    def capture(_c: Any, _cursor: Any, statement: str, parameters: Any, *_: Any) -> None:
        if "LIMIT" in statement:
            seen.append((statement, parameters))

    engine = conn.engine
    event.listen(engine, "before_cursor_execute", capture)
    try:
        key = tuple(0 if t is not str else "x" for t in sort.key_types)
        for window in (Window(20), Window(20, key, key), Window(20, key, key, True)):
            read_page(conn, LISTS[type(sort.key)], where, sort, window, dict)
    finally:
        event.remove(engine, "before_cursor_execute", capture)
    plans = []
    for statement, parameters in seen:
        rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        plans.append(" / ".join(str(row[-1]) for row in rows))
    return plans


def _read_in_order(plan: str, table: Table) -> bool:
    """The page is read from an index, or from the table's own B-tree in its key's order
    (a table WITHOUT ROWID, whose plan then names no index; no temporary B-tree either)."""
    if "INDEX" in plan:
        return True
    clustered = table.dialect_options["sqlite"]["with_rowid"] is False
    return clustered and plan.startswith((f"SCAN {table.name}", f"SEARCH {table.name}"))


@pytest.fixture(scope="module")
def conn() -> Iterator[Connection]:
    """The read model's schema in an in-memory SQLite (plans need no rows)."""
    engine = create_engine("sqlite://")
    tables.metadata.create_all(engine)
    with engine.connect() as connection:
        yield connection
    engine.dispose()


@pytest.mark.parametrize("sort", ORDERS, ids=lambda s: f"{s.key}-{s.descending}")
def test_each_order_is_read_from_an_index(sort: Sort, conn: Connection) -> None:
    plans = _plans(conn, sort, [])
    assert len(plans) == 3
    for plan in plans:
        assert "TEMP B-TREE" not in plan, plan
        assert _read_in_order(plan, LISTS[type(sort.key)]), plan


def test_the_low_stock_list_reads_the_available_index(conn: Connection) -> None:
    """Lowest available first, under a threshold: the expression index serves both."""
    where = position_clauses(PositionFilter(available_at_most=3))
    plans = _plans(conn, Sort(PositionSort.AVAILABLE), where)
    assert all("ix_positions_available" in plan and "TEMP" not in plan for plan in plans), plans
