"""A line sold below its list price is booked as revenue at list price less a sales
discount, so the ERP sees what a promotion cost; a line at list price books no
discount line at all, as before promotions."""

from __future__ import annotations

from typing import Any

from hub_fakes import DC, SKU, Harness, authorised, booked, web_order, wms_shipment

from hub.model.ledger import SALES_DISCOUNTS, sale_posting


def invoiced_journal(order: dict[str, Any]) -> list[dict[str, Any]]:
    h = Harness()
    h.deliver("web", order)
    h.answer_open("payment", "authorize", 200, authorised("auth_1"))
    h.answer_open("erp", "create_sales_order", 201, booked("SO-1"))
    h.answer_open("wms", "release_order", 200)
    h.deliver("wms", wms_shipment("W-1", "SH-1", [(SKU, 2, 0)], stock=[(SKU, 8, 1)], dc=DC))
    h.answer_open("payment", "capture", 200, {"id": "cap_1"})
    [invoice] = h.transport.open("erp", "post_delivery_invoice")
    journal: list[dict[str, Any]] = invoice.body["Journal"]
    return journal


def test_a_promoted_line_books_revenue_at_list_and_the_discount_against_it() -> None:
    order = web_order("W-1", [(SKU, 2)])
    order["lines"][0].update(list_price_cents=1500, promotion="DOORBUSTER")  # charged 1000
    journal = invoiced_journal(order)
    lines = {line["account"]: (line["dr"], line["cr"]) for line in journal}
    assert lines[SALES_DISCOUNTS] == (2 * 500, 0)
    assert lines["4000-revenue"] == (0, 2 * 1500)
    assert lines["1000-cash"] == (2 * 1000 + 200, 0)
    assert sum(dr for dr, _ in lines.values()) == sum(cr for _, cr in lines.values())


def test_a_line_at_list_price_books_no_discount_line() -> None:
    journal = invoiced_journal(web_order("W-1", [(SKU, 2)]))
    assert SALES_DISCOUNTS not in {line["account"] for line in journal}
    assert [line.account for line in sale_posting(1000, 200)] == [
        "1000-cash",
        "4000-revenue",
        "2200-tax-payable",
    ]
