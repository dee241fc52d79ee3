"""Global ids: the format (base64 of "TypeName:raw", as strawberry's relay and Saleor
make them), and how an argument that takes an id reads either form."""

from __future__ import annotations

import base64

import pytest

from graph.errors import BadInput
from graph.types.node import (
    NodeType,
    global_id,
    parse_global_id,
    position_raw_id,
    raw_id,
    split_position,
)


def test_a_global_id_is_base64_of_the_type_name_and_the_raw_id() -> None:
    made = global_id(NodeType.ORDER, "W-0000042")
    assert base64.b64decode(made) == b"Order:W-0000042"
    assert parse_global_id(made, "id") == (NodeType.ORDER, "W-0000042")


@pytest.mark.parametrize(
    "value",
    [
        "W-0000042",  # a raw id
        base64.b64encode(b"Invoice:1").decode(),  # a type the API does not have
        base64.b64encode(b"Order:").decode(),  # no raw id
        base64.b64encode(b"\xff\xfe").decode(),  # not text
        "",
    ],
)
def test_anything_else_is_bad_user_input_naming_what_was_expected(value: str) -> None:
    with pytest.raises(BadInput) as refused:
        parse_global_id(value, "ids")
    assert refused.value.extensions == {"code": "BAD_USER_INPUT", "argument": "ids"}
    assert '"TypeName:id"' in refused.value.message and "Customer" in refused.value.message


def test_an_id_argument_takes_its_types_global_id_or_the_legacy_raw_one() -> None:
    sku = global_id(NodeType.SKU, "SKU-00001")
    assert raw_id(sku, NodeType.SKU, "skuId") == "SKU-00001"
    assert raw_id("SKU-00001", NodeType.SKU, "skuId") == "SKU-00001"
    with pytest.raises(BadInput, match="of type Sku; expected one of type Order"):
        raw_id(sku, NodeType.ORDER, "orderId")


def test_a_positions_raw_id_is_its_sku_and_location() -> None:
    raw = position_raw_id("SKU-00001", "DC-EAST")
    assert split_position(raw) == ("SKU-00001", "DC-EAST")
    assert split_position("SKU-00001") is None
    assert split_position("@DC-EAST") is None
