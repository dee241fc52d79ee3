"""The tax leg: with a tax engine, an order is charged the engine's quote; when the
engine does not answer in time, `estimate` goes on at the channel's tax and `hold`
waits; the invoice books the liability the engine committed (the difference trued up),
and a refund's credit memo waits for the engine's reversal."""

from __future__ import annotations

import dataclasses
from typing import Any

from hub_fakes import (
    DC,
    SKU,
    TOPOLOGY,
    Harness,
    authorised,
    booked,
    quiet_policy,
    web_order,
    wms_shipment,
)
from test_hub_multiple_returns import wms_return

from hub.model.ledger import TAX_PAYABLE, TAX_TRUE_UP
from hub.model.tax import TaxState
from hub.services.tax_leg import QUOTE_DUE_TIMER

TAXED = dataclasses.replace(TOPOLOGY, tax_engine=True)


def taxed_hub(fallback: str = "estimate") -> Harness:
    return Harness(policy=quiet_policy(tax_fallback=fallback), topology=TAXED)


def quoted(tax_cents: int) -> dict[str, Any]:
    return {"code": "W-1", "tax_cents": tax_cents, "lines": [{"sku": SKU, "tax_cents": tax_cents}]}


def ship_and_capture(h: Harness) -> None:
    h.answer_open("erp", "create_sales_order", 201, booked("SO-1"))
    h.answer_open("wms", "release_order", 200)
    h.deliver("wms", wms_shipment("W-1", "SH-1", [(SKU, 2, 0)], stock=[(SKU, 8, 1)], dc=DC))
    h.answer_open("payment", "capture", 200, {"id": "cap_1"})


def return_one_unit(h: Harness) -> None:
    """One unit of W-1 asked back online, received and inspected resellable."""
    h.deliver(
        "web",
        {
            "type": "return.requested",
            "rma": "RMA-1",
            "order_ref": "W-1",
            "at": 10.0,
            "lines": [{"sku": SKU, "qty": 1}],
        },
    )
    h.answer_open("wms", "expect_return", 202)
    for message in wms_return("RMA-1", [(SKU, 1)], 9, 2):
        h.deliver("wms", message)


def journal_of(h: Harness) -> dict[str, tuple[int, int]]:
    [invoice] = h.transport.open("erp", "post_delivery_invoice")
    return {line["account"]: (line["dr"], line["cr"]) for line in invoice.body["Journal"]}


def test_without_an_engine_nothing_is_quoted_and_the_channels_tax_is_charged() -> None:
    h = Harness()
    h.deliver("web", web_order("W-1", [(SKU, 2)]))
    assert h.transport.sent("tax") == []
    [auth] = h.transport.open("payment", "authorize")
    assert auth.body["amount"] == 2 * 1000 + 200  # the line's tax, as the channel said


def test_the_engines_quote_is_what_the_customer_is_charged() -> None:
    h = taxed_hub()
    h.deliver("web", web_order("W-1", [(SKU, 2)]))
    assert h.transport.open("payment") == [], "nothing is authorised before the quote"
    [quote] = h.transport.open("tax", "quote")
    assert quote.body["lines"] == [{"sku": SKU, "qty": 2, "net_cents": 2000}]
    h.answer(quote, 200, quoted(460))
    [auth] = h.transport.open("payment", "authorize")
    assert auth.body["amount"] == 2000 + 460
    assert h.order("W-1").tax_state == TaxState.QUOTED


def test_estimate_goes_on_at_the_channels_tax_when_the_quote_is_late() -> None:
    h = taxed_hub("estimate")
    h.deliver("web", web_order("W-1", [(SKU, 2)]))
    h.fire_next(QUOTE_DUE_TIMER)
    [auth] = h.transport.open("payment", "authorize")
    assert auth.body["amount"] == 2000 + 200
    order = h.order("W-1")
    assert (order.tax_state, order.tax_estimated) == (TaxState.ESTIMATED, True)
    h.answer_open("tax", "quote", 200, quoted(460))  # too late: already charged
    assert len(h.transport.sent("payment", "authorize")) == 1


def test_hold_waits_for_the_quote_however_long_it_takes() -> None:
    h = taxed_hub("hold")
    h.deliver("web", web_order("W-1", [(SKU, 2)]))
    assert h.scheduler.pending_of(QUOTE_DUE_TIMER) == []
    h.answer_open("tax", "quote", 503, {"error": "down"})
    h.advance(3600.0)
    assert h.transport.sent("payment") == []
    assert h.transport.sent("wms", "release_order") == []
    h.answer_open("tax", "quote", 200, quoted(460))
    [auth] = h.transport.open("payment", "authorize")
    assert auth.body["amount"] == 2460


def test_the_invoice_books_the_committed_liability_and_trues_up_the_estimate() -> None:
    h = taxed_hub("estimate")
    h.deliver("web", web_order("W-1", [(SKU, 2)]))
    h.fire_next(QUOTE_DUE_TIMER)
    h.answer_open("payment", "authorize", 200, authorised("auth_1"))
    ship_and_capture(h)
    assert h.transport.open("erp", "post_delivery_invoice") == [], "waits for the commit"
    [commit] = h.transport.open("tax", "commit")
    assert commit.body["collected_cents"] == 200
    h.answer(commit, 200, quoted(460))
    lines = journal_of(h)
    assert lines[TAX_PAYABLE] == (0, 460)
    assert lines[TAX_TRUE_UP] == (260, 0), "what the estimate fell short, absorbed"
    assert lines["1000-cash"] == (2200, 0)
    assert sum(dr for dr, _ in lines.values()) == sum(cr for _, cr in lines.values())


def test_a_refund_is_credited_once_the_engine_reversed_its_tax() -> None:
    h = taxed_hub()
    h.deliver("web", web_order("W-1", [(SKU, 2)]))
    h.answer_open("tax", "quote", 200, quoted(460))
    h.answer_open("payment", "authorize", 200, authorised("auth_1"))
    ship_and_capture(h)
    h.answer_open("tax", "commit", 200, quoted(460))
    h.answer_open("erp", "post_delivery_invoice", 201, booked("INV-1"))
    return_one_unit(h)
    [refund] = h.transport.open("payment", "refund")
    assert refund.body["amount"] == 1000 + 230
    h.answer(refund, 200, {"id": "re_1"})
    assert h.transport.open("erp", "post_credit_memo") == [], "waits for the reversal"
    [reversal] = h.transport.open("tax", "reverse")
    assert reversal.body["transaction"] == "W-1" and reversal.body["refunded_cents"] == 230
    h.answer(reversal, 200, {"code": "RMA-1", "tax_cents": 230, "lines": []})
    [memo] = h.transport.open("erp", "post_credit_memo")
    lines = {line["account"]: (line["dr"], line["cr"]) for line in memo.body["Journal"]}
    assert lines[TAX_PAYABLE] == (230, 0) and TAX_TRUE_UP not in lines


def test_the_seeded_defect_credits_a_refund_without_reversing_its_tax() -> None:
    h = Harness(policy=quiet_policy(defects=frozenset({"skip_tax_reversal"})), topology=TAXED)
    h.deliver("web", web_order("W-1", [(SKU, 2)]))
    h.answer_open("tax", "quote", 200, quoted(460))
    h.answer_open("payment", "authorize", 200, authorised("auth_1"))
    ship_and_capture(h)
    h.answer_open("tax", "commit", 200, quoted(460))
    return_one_unit(h)
    h.answer_open("payment", "refund", 200, {"id": "re_1"})
    assert h.transport.sent("tax", "reverse") == []
    assert len(h.transport.open("erp", "post_credit_memo")) == 1
