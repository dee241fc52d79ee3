"""The read model's bulk insert builds its parameter tuples a column at a time: the
same tuples, in the statement's parameter order, with each column's bind processor
applied to that column alone, as building them row by row gave."""

from __future__ import annotations

import json
from dataclasses import dataclass

from hub.adapters.read_model.bulk import _Compiled, rows_of


@dataclass(frozen=True, slots=True)
class _Row:
    id: str
    done: bool
    detail: dict[str, int]


def _by_row(plan: _Compiled, records: list[_Row]) -> list[tuple[object, ...]]:
    return [
        tuple(
            getattr(r, n) if p is None else p(getattr(r, n))
            for n, p in zip(plan.names, plan.processors, strict=True)
        )
        for r in records
    ]


RECORDS = [_Row(f"o-{i}", i % 2 == 0, {"n": i}) for i in range(5)]


def test_columns_in_the_statements_order_with_their_processors() -> None:
    # the statement binds detail first, then id, then done (as SQL compiles it)
    plan = _Compiled("INSERT ...", ("detail", "id", "done"), (json.dumps, None, int))
    rows = rows_of(plan, RECORDS)
    assert rows == _by_row(plan, RECORDS)
    assert rows[1] == ('{"n": 1}', "o-1", 0)
    assert rows_of(plan, []) == []


def test_columns_without_processors_and_a_single_column() -> None:
    plain = _Compiled("INSERT ...", ("id", "done"), (None, None))
    assert rows_of(plain, RECORDS) == _by_row(plain, RECORDS)
    single = _Compiled("INSERT ...", ("id",), (None,))
    assert rows_of(single, RECORDS) == [(f"o-{i}",) for i in range(5)]
    assert rows_of(single, []) == [] and rows_of(plain, []) == []
