"""The ERP and the WMS refuse a request naming a material, plant or item their master
data does not have, with the contract's 400 naming the field and the value, and book
nothing: a real WMS takes an order or a return only for an item in its item master,
and SAP refuses a document whose material or plant is not maintained. Before, the ERP
booked the document and opened a stock ledger for the unknown plant or material, and
the WMS put a returned unknown SKU on a shelf."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from backend_bench import Bench

from simulators.contract import SYSTEMS

#: (operation, where in the example, the value) for every place an ERP document names
#: a material or a plant, and what the refusal says
ERP_CASES = [
    ("create_sales_order", ("Plant",), "DC-NOWHERE", "Plant: 'DC-NOWHERE' is not a plant"),
    (
        "create_sales_order",
        ("Items", 0, "Material"),
        "SKU-99999",
        "Items[0].Material: 'SKU-99999' is not a material",
    ),
    ("post_goods_movement", ("Plant",), "", "Plant: '' is not a plant"),
    (
        "post_goods_movement",
        ("Items", 0, "Material"),
        "DC-NORTH",
        "Items[0].Material: 'DC-NORTH' is not a material",
    ),
    ("post_store_sales", ("Plant",), "ST-9999", "Plant: 'ST-9999' is not a plant"),
    (
        "post_credit_memo",
        ("Items", 0, "Material"),
        "",
        "Items[0].Material: '' is not a material",
    ),
]


def _with(body: dict[str, Any], path: tuple[str | int, ...], value: Any) -> dict[str, Any]:
    changed = copy.deepcopy(body)
    where: Any = changed
    for step in path[:-1]:
        where = where[step]
    where[path[-1]] = value
    return changed


@pytest.mark.parametrize(("operation", "path", "value", "said"), ERP_CASES)
def test_the_erp_refuses_a_document_naming_what_it_does_not_know(
    operation: str, path: tuple[str | int, ...], value: str, said: str
) -> None:
    bench = Bench(guarded=False)
    example = dict(SYSTEMS["erp"].operations[operation].example)
    assert bench.valid_call("erp", operation, example)[0] == 201  # the control: booked
    stock, documents = dict(bench.erp.stock), len(bench.erp.documents)
    status, answer = bench.valid_call("erp", operation, _with(example, path, value))
    assert (status, answer) == (400, {"error": f"bad request: {said} the ERP knows"})
    assert (dict(bench.erp.stock), len(bench.erp.documents)) == (stock, documents)
    assert bench.problems == []


def test_an_invoice_line_shipped_from_an_unknown_plant_is_refused() -> None:
    bench = Bench(guarded=False)
    order = dict(SYSTEMS["erp"].operations["create_sales_order"].example)
    number = bench.valid_call("erp", "create_sales_order", order)[1]["DocumentNo"]
    invoice = {**SYSTEMS["erp"].operations["post_delivery_invoice"].example, "SalesOrder": number}
    line = {**invoice["Items"][0], "Plant": "DC-EAST"}
    answer = bench.valid_call("erp", "post_delivery_invoice", {**invoice, "Items": [line]})
    assert answer == (
        400,
        {"error": "bad request: Items[0].Plant: 'DC-EAST' is not a plant the ERP knows"},
    )
    line["Plant"] = "DC-SOUTH"  # the control: a plant it has
    assert bench.valid_call("erp", "post_delivery_invoice", {**invoice, "Items": [line]})[0] == 201


def test_the_erp_in_legacy_batch_books_nothing_of_a_refused_file() -> None:
    bench = Bench(guarded=False, erp_mode="legacy_batch")
    example = dict(SYSTEMS["erp"].operations["post_goods_movement"].example)
    body = _with(example, ("Plant",), "DC-NOWHERE")
    assert bench.valid_call("erp", "post_goods_movement", body)[0] == 202  # the file is in
    assert bench.erp.documents_of("goods_movement") == []
    assert bench.problems == []


@pytest.mark.parametrize("operation", ["release_order", "expect_return"])
def test_the_wms_refuses_an_order_or_return_of_an_item_it_does_not_know(operation: str) -> None:
    bench = Bench(guarded=False)
    example = dict(SYSTEMS["wms"].operations[operation].example)
    known = bench.valid_call("wms", operation, example)
    assert known[0] == 202  # the control: taken
    messages = len(bench.problems)
    body = _with(example, ("lines", 0, "item"), "SKU-99999")
    body = {**body, "rma": "RMA-W-9", "orderRef": "W-9"} if "rma" in body else body
    body = {**body, "orderRef": "W-9"}
    status, answer = bench.valid_call("wms", operation, body)
    assert (status, answer) == (
        400,
        {"error": "bad request: lines[0].item: 'SKU-99999' is not an item the WMS knows"},
    )
    bench.env.run(until=bench.env.now + 86400.0)  # past any pick or putaway
    assert ("SKU-99999", example["dc"]) not in bench.wms.stock.on_hand
    assert bench.wms.stock.on_hand[(example["lines"][0]["item"], example["dc"])] >= 0
    assert len(bench.problems) == messages == 0
