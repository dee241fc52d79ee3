"""The B2B portal (simulators/b2b.py): a company orders at its contract prices from
what the store shows, with a PO number; its desk owes what arrived, and pays what fell
due in its daily payment run, in one remittance naming each order."""

from __future__ import annotations

import random
from typing import Any

import simpy

from simulators.b2b import DAY_S, REMITTANCE_EVENT, B2bConfig, B2bPortal, Company
from simulators.storefront import Storefront
from simulators.world import Popularity, Sku

SKUS = [Sku(f"SKU-{i}", f"Thing {i}", "cat", 1000 * (i + 1), 500, 1000, i) for i in range(3)]


def config(**changes: Any) -> B2bConfig:
    settings: dict[str, Any] = {
        "accounts": 1,
        "lines_per_order": (3, 3),
        "units_per_line": (10, 10),
        "contract_discount_pct": (10.0, 10.0),
        "contract_skus": 1,
        "net_days": 1,
        "late_payment_rate": 0.0,
        "late_days_max": 3.0,
        "short_payment_rate": 0.0,
        "duplicate_remittance_rate": 0.0,
        "po_resend_rate": 0.0,
    }
    settings.update(changes)
    return B2bConfig(**settings)


def portal(**changes: Any) -> tuple[simpy.Environment, B2bPortal, list[tuple[str, Any]]]:
    env = simpy.Environment()
    sent: list[tuple[str, Any]] = []
    store = Storefront(env, lambda kind, body: sent.append((kind, body)))
    store.ship_view.update({"SKU-0": 100, "SKU-1": 4, "SKU-2": 0})
    company = Company("CO-0001", "Acme Ltd", "ap@acme.example", 10.0, {"SKU-0": 800}, 9)
    popularity = Popularity([0, 1, 2], [1.0, 2.0, 3.0])
    b2b = B2bPortal(env, random.Random(5), config(**changes), store, SKUS, popularity, [company])
    return env, b2b, sent


def test_a_company_orders_at_contract_prices_what_the_store_shows() -> None:
    _, b2b, sent = portal()
    order = b2b.place()
    assert order is not None and order.channel == "b2b"
    # SKU-0 at its negotiated price, SKU-1 at list less 10%, cut to the 4 shown; SKU-2 none
    assert [(sku, qty, price) for sku, qty, price, _ in order.lines] == [
        ("SKU-0", 10, 800),
        ("SKU-1", 4, 1800),
    ]
    kind, body = sent[0]
    assert kind == "order.created"
    assert (body["company_ref"], body["po_number"]) == ("CO-0001", "PO-0001-00001")
    assert body["payment_terms"] == {"type": "NET", "due_in_days": 1}
    assert body["lines"][0]["list_price_cents"] == 1000


def test_a_resent_po_is_the_same_order_sent_again() -> None:
    env, b2b, sent = portal(po_resend_rate=1.0)
    b2b.place()
    env.run(until=3600)
    orders = [body for kind, body in sent if kind == "order.created"]
    assert len(orders) == 2 and orders[0] == orders[1]


def test_the_desk_pays_what_fell_due_in_one_remittance_naming_each_order() -> None:
    env, b2b, sent = portal(short_payment_rate=1.0, duplicate_remittance_rate=1.0)
    order = b2b.place()
    assert order is not None
    b2b.on_shipped(order.ref, [("SKU-0", 10)])  # SKU-1 never arrived
    payable = b2b.payables[order.ref]
    assert payable.amount_cents == 10 * 800 + order.lines[0][3]
    assert payable.due_at == DAY_S and payable.pay_cents < payable.amount_cents
    env.run(until=2 * DAY_S + 10 * 3600)
    remittances = [body for kind, body in sent if kind == REMITTANCE_EVENT]
    assert len(remittances) == 2 and remittances[0] == remittances[1]  # sent twice
    assert remittances[0]["amount_cents"] == payable.pay_cents
    assert remittances[0]["lines"][0]["order_ref"] == order.ref
    assert [r.sends for r in b2b.remittances] == [2]
