"""docs/api.md's Lists section names every sort key and every filter field the schema
has, so the guide a frontend developer reads cannot fall behind the lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.schema import composed_schema

API_DOC = Path(__file__).resolve().parents[3] / "docs" / "api.md"


def _section() -> str:
    text = API_DOC.read_text()
    section = text[text.index("## Lists: sorting, paging, filtering") :]
    return section[: section.index("\n## ", 1)]


@pytest.mark.parametrize(
    "enum",
    [
        "OrderSortKeys",
        "ReturnSortKeys",
        "SkuSortKeys",
        "InventoryPositionSortKeys",
        "PayoutSortKeys",
    ],
)
def test_every_sort_key_is_documented(enum: str) -> None:
    schema = composed_schema()._schema
    values = schema.get_type(enum).values  # type: ignore[union-attr]
    assert values
    for name in values:
        assert f"`{name}`" in _section(), f"{enum}.{name} is not in docs/api.md#lists"


@pytest.mark.parametrize(
    "name",
    [
        "OrderFilter",
        "ReturnFilter",
        "SkuFilter",
        "InventoryFilter",
        "PayoutFilter",
        "PayoutLineFilter",
    ],
)
def test_every_filter_field_is_documented(name: str) -> None:
    fields = composed_schema()._schema.get_type(name).fields  # type: ignore[union-attr]
    assert fields
    for field in fields:
        assert f"`{field}`" in _section(), f"{name}.{field} is not in docs/api.md#lists"
