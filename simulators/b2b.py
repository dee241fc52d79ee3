"""The B2B portal: company accounts buying on contract prices and paying on account.

A company (an account) buys through the store's company side, as Shopify B2B buyers
do: the same catalogue and the same availability as the web shop, but at the account's
contract prices (an account-wide discount off list, and a negotiated price for some
SKUs), in large orders (tens of lines, tens of units each) that carry the buyer's
purchase-order number, and on payment terms: nothing is charged at checkout; the
retailer invoices what it ships, and the company pays `net_days` later.

The company's accounts-payable desk is the other half. It books what arrived (a goods
receipt) at the order's prices, so it owes what it received, not what it ordered, and
pays in payment runs (one a day per account, at its own hour): every invoice that has
fallen due, in one remittance that names each order (the portal's reference and the
PO number) and what it pays on it. Some invoices are paid late (`late_payment_rate`,
days after they fell due), some short (`short_payment_rate`: part of the amount, the
rest left open), and now and then a remittance is sent twice (`duplicate_remittance_rate`,
the same remittance id again: it must be applied once). A buyer also submits a PO twice
now and then (`po_resend_rate`): the same order, sent again.

The desk's own records are the truth the checker holds the retailer's books to:
`payables` (what each company owes for each order it received) and `remittances`
(what it paid, on which orders, and when).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import simpy

from simulators.channel import ChannelOrder
from simulators.later import Later
from simulators.storefront import Storefront
from simulators.world import Popularity, Sku

#: the channel B2B orders are recorded and reported under
CHANNEL = "b2b"
#: the message a company's payment advice arrives as
REMITTANCE_EVENT = "remittance.sent"
DAY_S = 86400.0


@dataclass(frozen=True, slots=True)
class B2bConfig:
    accounts: int
    lines_per_order: tuple[int, int]
    units_per_line: tuple[int, int]
    contract_discount_pct: tuple[float, float]
    #: SKUs with a negotiated price per account
    contract_skus: int
    net_days: int
    late_payment_rate: float
    #: how late a late payment is, in days after it fell due (uniform up to this)
    late_days_max: float
    short_payment_rate: float
    duplicate_remittance_rate: float
    po_resend_rate: float


@dataclass(frozen=True, slots=True)
class Company:
    """An account: a company with a contract price list and payment terms."""

    company_id: str
    name: str
    contact_email: str
    #: the account-wide discount off list, in percent
    discount_pct: float
    #: sku -> negotiated unit price (cents), below the account-wide discount
    contract_prices: dict[str, int]
    #: hour of the day its payment run goes out
    payment_hour: int

    def price(self, sku: Sku) -> int:
        """The account's unit price for `sku`: its negotiated price, else list less the
        account-wide discount."""
        special = self.contract_prices.get(sku.sku_id)
        if special is not None:
            return special
        return round(sku.price_cents * (100.0 - self.discount_pct) / 100.0)


@dataclass(slots=True)
class Payable:
    """What a company owes for one order, as its accounts-payable desk booked it when
    the goods arrived: the received units at the order's prices, tax pro rata."""

    order_ref: str
    po_number: str
    company_id: str
    amount_cents: int
    received_at: float
    due_at: float
    #: when the company means to pay it, and how much (short of the amount, or all)
    pay_at: float
    pay_cents: int
    paid_cents: int = 0
    paid_at: float = -1.0


@dataclass(frozen=True, slots=True)
class RemittanceLine:
    order_ref: str
    po_number: str
    amount_cents: int


@dataclass(slots=True)
class Remittance:
    remittance_id: str
    company_id: str
    sent_at: float
    lines: list[RemittanceLine]
    #: times it was sent (more than one: the same remittance sent again)
    sends: int = 1

    @property
    def amount_cents(self) -> int:
        return sum(line.amount_cents for line in self.lines)

    def as_wire(self) -> dict[str, Any]:
        return {
            "type": REMITTANCE_EVENT,
            "remittance_id": self.remittance_id,
            "company_ref": self.company_id,
            "sent_at": self.sent_at,
            "amount_cents": self.amount_cents,
            "lines": [
                {
                    "order_ref": line.order_ref,
                    "po_number": line.po_number,
                    "amount_cents": line.amount_cents,
                }
                for line in self.lines
            ],
        }


@dataclass(slots=True)
class B2bOrder:
    """A company's order: the channel's record plus the account and the buyer's PO."""

    order: ChannelOrder
    company_id: str
    po_number: str
    net_days: int


_NAME_PARTS = (
    ("Northwind", "Harbor", "Summit", "Keystone", "Bluebell", "Ironwood", "Meridian", "Oakline"),
    ("Supply", "Trading", "Outfitters", "Hospitality", "Facilities", "Retail", "Logistics"),
    ("Ltd", "Inc", "GmbH", "LLC", "Group"),
)


def _company_name(rng: random.Random) -> str:
    return " ".join(parts[int(rng.random() * len(parts))] for parts in _NAME_PARTS)


def draw_companies(rng: random.Random, config: B2bConfig, skus: list[Sku]) -> list[Company]:
    """The accounts, each with its discount and negotiated prices, from `rng` alone."""
    companies = []
    low, high = config.contract_discount_pct
    for i in range(config.accounts):
        discount = rng.uniform(low, high)
        picks = rng.sample(range(len(skus)), min(config.contract_skus, len(skus)))
        prices = {}
        for index in sorted(picks):
            sku = skus[index]
            extra = rng.uniform(2.0, 10.0)
            prices[sku.sku_id] = max(1, round(sku.price_cents * (100.0 - discount - extra) / 100))
        name = _company_name(rng)
        company_id = f"CO-{i + 1:04d}"
        slug = "".join(ch for ch in name.lower() if ch.isalnum())[:16] or company_id.lower()
        companies.append(
            Company(company_id, name, f"ap@{slug}.example", discount, prices, rng.randrange(6, 18))
        )
    return companies


class B2bPortal:
    """The companies' side of the store: their orders in, their remittances out."""

    def __init__(
        self,
        env: simpy.Environment,
        rng: random.Random,
        config: B2bConfig,
        storefront: Storefront,
        skus: list[Sku],
        popularity: Popularity,
        companies: list[Company],
    ) -> None:
        self._env = env
        self._rng = rng
        self.config = config
        self._storefront = storefront
        self._skus = skus
        self._popularity = popularity
        self.companies = {company.company_id: company for company in companies}
        #: order ref -> the company's order
        self.orders: dict[str, B2bOrder] = {}
        #: order ref -> what the company owes for it (from the goods' arrival)
        self.payables: dict[str, Payable] = {}
        self.remittances: list[Remittance] = []
        self._po_numbers: dict[str, int] = {}
        self.pos_resent = 0
        for company in companies:
            first = company.payment_hour * 3600.0
            Later(env, first, self._payment_run, company.company_id)

    # -- orders --------------------------------------------------------------------------

    def order(self) -> None:
        """A company's buyer arrives: an order, if the store shows any of what it wants."""
        self.place()

    def place(self) -> ChannelOrder | None:
        """A company orders: many lines, many units each, at its contract prices, from
        what the store's availability shows (a line it shows too few of is cut to what
        it shows, and a line it shows none of is dropped)."""
        rng, config = self._rng, self.config
        company = list(self.companies.values())[int(rng.random() * len(self.companies))]
        wanted_lines = rng.randint(*config.lines_per_order)
        chosen: set[int] = set()
        for _ in range(wanted_lines * 3):
            if len(chosen) >= min(wanted_lines, len(self._skus)):
                break
            chosen.add(self._popularity.draw(rng))
        view = self._storefront.ship_view
        lines: list[tuple[str, int, int, int]] = []
        terms: dict[str, tuple[int, str]] = {}
        for index in sorted(chosen):
            sku = self._skus[index]
            wanted = rng.randint(*config.units_per_line)
            got = self._storefront.take_from_view(view, sku.sku_id, wanted)
            if got < wanted:
                self._storefront.lines_dropped += 1
            if not got:
                continue
            price = company.price(sku)
            lines.append((sku.sku_id, got, price, sku.tax_cents(got, price)))
            terms[sku.sku_id] = (sku.price_cents, f"contract:{company.company_id}")
        if not lines:
            self._storefront.orders_lost_to_stockout += 1
            return None
        number = self._po_numbers.get(company.company_id, 0) + 1
        self._po_numbers[company.company_id] = number
        po_number = f"PO-{company.company_id[3:]}-{number:05d}"
        ref = f"B2B-{company.company_id[3:]}-{number:05d}"
        order = ChannelOrder(
            ref, CHANNEL, company.company_id, "", self._env.now, lines, terms=terms
        )
        self.orders[ref] = B2bOrder(order, company.company_id, po_number, config.net_days)
        payload = self._order_message(order, company, po_number)
        self._storefront.take_on_account(order, payload)
        if rng.random() < config.po_resend_rate:  # the buyer submits the PO again
            self.pos_resent += 1
            Later(self._env, rng.uniform(30.0, 600.0), self._resend, (order, payload))
        return order

    def _order_message(
        self, order: ChannelOrder, company: Company, po_number: str
    ) -> dict[str, Any]:
        return {
            "type": "order.created",
            "order_ref": order.ref,
            "customer_ref": company.company_id,
            "placed_at": order.placed_at,
            "pickup_store": None,
            "ship_to_region": "",
            "company_ref": company.company_id,
            "po_number": po_number,
            "payment_terms": {"type": "NET", "due_in_days": self.config.net_days},
            "lines": [
                {
                    "sku": sku,
                    "qty": qty,
                    "unit_price_cents": price,
                    "tax_cents": tax,
                    "list_price_cents": order.terms[sku][0],
                    "promotion": order.terms[sku][1],
                }
                for sku, qty, price, tax in order.lines
            ],
        }

    def _resend(self, event: Any) -> None:
        order, payload = event.value
        self._storefront.send_again(order.ref, payload)

    # -- goods received, invoices paid ---------------------------------------------------

    def on_shipped(self, ref: str, shipped: list[tuple[str, int]]) -> None:
        """The goods of `ref` arrived: the company's desk books what it owes for them
        and decides when it will pay (on time, late) and how much (all, or short)."""
        b2b = self.orders.get(ref)
        if b2b is None:
            return
        units = dict(shipped)
        amount = 0
        for sku, qty, price, tax in b2b.order.lines:
            got = units.get(sku, 0)
            if got:
                amount += price * got + tax * got // qty
        if amount <= 0:
            return
        booked = self.payables.get(ref)
        if booked is not None:  # a later parcel of an order shipped in parts
            booked.amount_cents += amount
            if booked.paid_at < 0:  # paid with the rest, by the terms already decided
                booked.pay_cents += amount
            return
        rng, config = self._rng, self.config
        now = self._env.now
        due = now + b2b.net_days * DAY_S
        pay_at = due
        if rng.random() < config.late_payment_rate:
            pay_at += rng.uniform(0.5, max(0.5, config.late_days_max)) * DAY_S
        pay = amount
        if rng.random() < config.short_payment_rate:
            pay = amount - max(1, int(amount * rng.uniform(0.05, 0.5)))
        self.payables[ref] = Payable(
            ref, b2b.po_number, b2b.company_id, amount, now, due, pay_at, pay
        )

    def _payment_run(self, event: Any) -> None:
        """An account's daily payment run: one remittance for everything it means to
        pay by now."""
        company_id: str = event.value
        Later(self._env, DAY_S, self._payment_run, company_id)
        now = self._env.now
        lines = []
        for payable in self.payables.values():
            if payable.company_id == company_id and payable.paid_at < 0 and payable.pay_at <= now:
                payable.paid_at = now
                payable.paid_cents = payable.pay_cents
                lines.append(
                    RemittanceLine(payable.order_ref, payable.po_number, payable.pay_cents)
                )
        if not lines:
            return
        remittance = Remittance(
            f"RMT-{company_id[3:]}-{len(self.remittances) + 1:05d}", company_id, now, lines
        )
        self.remittances.append(remittance)
        self._storefront.send(REMITTANCE_EVENT, remittance.as_wire())
        if self._rng.random() < self.config.duplicate_remittance_rate:
            Later(self._env, self._rng.uniform(600.0, 7200.0), self._send_again, remittance)

    def _send_again(self, event: Any) -> None:
        remittance: Remittance = event.value
        remittance.sends += 1
        self._storefront.send(REMITTANCE_EVENT, remittance.as_wire())
