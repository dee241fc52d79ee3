"""What every sales channel has in common: a view of stock fed by the hub, the orders it
accepted (the ground truth of what was sold), and what the hub told it about them.

A channel sells against its own view: a line is offered only if the view shows enough,
and each accepted line decrements the view, as a storefront's cached inventory does.
The view is only as fresh as the hub's last feed, so with slow feeds two channels (and
the stores) sell the same last units, and the oversell happens here.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from struct import Struct
from types import MappingProxyType
from typing import Any

import simpy

from simulators.basket_promotions import deepest, discounted, promotion_name
from simulators.by_position import ByPosition
from simulators.channel_returns import ReturnNotices, ReturnOpened, ReturnsOpened
from simulators.interned import Interned
from simulators.later import now_of
from simulators.order_refs import format_ref
from simulators.price_book import PriceBook
from simulators.records import RecordTable
from simulators.sync_lag import SyncLagMeter
from simulators.types import Emit
from simulators.world import Sku

#: the terms of an order every line of which was charged its list price, no promotion
#: (most orders of most days): one shared, read-only empty mapping, not a dict each
NO_TERMS: Mapping[str, tuple[int, str]] = MappingProxyType({})
#: a status notice's arrival time as `ChannelOrder.heard_at` packs it (exact: a double)
_TIME = Struct("d")
#: the statuses an order never leaves (as the hub labels them): once it heard one, only
#: late news changes its record (a notice delivered again, a late acknowledgement or
#: cancel request, a resend), so it is finished and may leave memory (`settle`)
FINAL_STATUSES = frozenset({"shipped", "collected", "cancelled"})


def _no_terms() -> Mapping[str, tuple[int, str]]:
    return NO_TERMS


@dataclass(slots=True, init=False)
class ChannelOrder:
    ref: str
    channel: str
    customer_id: str
    region: str
    placed_at: float
    #: (sku, qty, unit price, tax for the line); a channel's own orders hold one shared
    #: tuple per distinct basket (`SalesChannel.take_lines`), read-only
    lines: Sequence[tuple[str, int, int, int]]
    pickup_store: str = ""
    cancel_requested_at: float = -1.0
    #: what the customer said when asking to cancel ("" when nothing was said)
    cancel_reason: str = ""
    #: status notices as received: the (hub version, status) of each, oldest first, and
    #: when each arrived, packed as doubles (read them together as `notices`). A day's
    #: notices are held until the checker reads them, and the (version, status) pairs of
    #: a day's orders are a few dozen sequences (accepted, then shipped...), so a
    #: channel's orders share one tuple per sequence (`hear`'s `shared`), and the times,
    #: each the only thing a notice holds of its own, cost 8 bytes each rather than a
    #: float object and a place in a tuple
    told: tuple[tuple[int, str], ...] = ()
    heard_at: bytes = b""
    acked_at: float = -1.0
    sends: int = 0
    #: sku -> (list price, promotion) of its line: what the price charged was cut from;
    #: a line charged its list price with no promotion may have no entry (read a line's
    #: terms through `SalesChannel.line_terms`), so a plain order holds `NO_TERMS`
    terms: Mapping[str, tuple[int, str]] = field(default_factory=_no_terms)

    # an `__init__` of its own, not the dataclass's: the compiled build runs a generated
    # `__init__` interpreted (mypyc compiles only what the source holds), and every order
    # a channel takes, and every one read back from the run's spill, is built here
    def __init__(
        self,
        ref: str,
        channel: str,
        customer_id: str,
        region: str,
        placed_at: float,
        lines: Sequence[tuple[str, int, int, int]],
        pickup_store: str = "",
        cancel_requested_at: float = -1.0,
        cancel_reason: str = "",
        told: tuple[tuple[int, str], ...] = (),
        heard_at: bytes = b"",
        acked_at: float = -1.0,
        sends: int = 0,
        terms: Mapping[str, tuple[int, str]] | None = None,
    ) -> None:
        self.ref = ref
        self.channel = channel
        self.customer_id = customer_id
        self.region = region
        self.placed_at = placed_at
        self.lines = lines
        self.pickup_store = pickup_store
        self.cancel_requested_at = cancel_requested_at
        self.cancel_reason = cancel_reason
        self.told = told
        self.heard_at = heard_at
        self.acked_at = acked_at
        self.sends = sends
        self.terms = NO_TERMS if terms is None else terms

    @property
    def notices(self) -> tuple[tuple[int, str, float], ...]:
        """Status notices as received: (hub version, status, received at), oldest first
        (a tuple, so that changing it fails loudly: add one through `hear`)."""
        return tuple(
            (version, status, at)
            for (version, status), (at,) in zip(
                self.told, _TIME.iter_unpack(self.heard_at), strict=True
            )
        )

    def hear(self, version: int, status: str, at: float, shared: Interned | None = None) -> None:
        """A status notice from the hub arrived; `shared` (the channel's) keeps one copy
        of each (version, status) and each sequence of them."""
        if shared is None:
            self.told = (*self.told, (version, status))
        else:
            self.told = shared((*self.told, shared((version, status))))
        self.heard_at += _TIME.pack(at)


@dataclass(frozen=True, slots=True)
class ViewMovedBack:
    """A feed row the channel applied whose value includes fewer of the source's
    movements than one it applied before: its view went back to an older state."""

    position: tuple[str, str]
    #: the highest source sequence the view had included, and the one it now includes
    from_seq: int
    to_seq: int
    at: float


class SalesChannel:
    name = "channel"

    def __init__(self, env: simpy.Environment, send: Emit) -> None:
        self._env = env
        self._send = send
        self.ship_view: dict[str, int] = {}
        #: every order accepted, by ref, in the order placed: each held in memory until
        #: it heard a final status, then handed to the run's store if there is one
        #: (`simulators/records.py`; a day's orders are what its memory grows by). Add
        #: one through `accept`, change one through `change` and `settle`
        self.orders: RecordTable[ChannelOrder] = RecordTable()
        self.lines_dropped = 0
        self.orders_lost_to_stockout = 0
        #: (sku, location) -> the highest source sequence this view has included: a
        #: row that goes below it moved the view back (`moved_back`)
        #: (kept by location and SKU, `ByPosition`: positions a view reflects grow with
        #: the days, and a feed's row names each with a tuple of its own)
        self.reflected_seq: ByPosition[int] = ByPosition()
        #: the meter told each time a feed moves this view past more of the source's
        #: movements, when it learned of them (None: no one measures the sync lag)
        self.sync_lag: SyncLagMeter | None = None
        #: feed rows applied that took a view back to an older state of its source
        self.moved_back: list[ViewMovedBack] = []
        self.feeds_received = 0
        #: when the hub sent the value each view entry holds, so a feed overtaken on
        #: the wire by a newer one cannot roll the view back
        self.feed_sent_at: dict[Any, float] = {}
        #: order ref -> the returns opened for it, oldest first (packed: open one
        #: through `_open_return`)
        self.returns_opened = ReturnsOpened()
        #: return id -> the status notices the hub sent about it, as received
        self.return_statuses = ReturnNotices()
        #: the prices this channel charges, as the hub last pushed them
        self.prices = PriceBook()
        self._next = 0
        #: one copy of each (sku, qty, price, tax) line, basket of lines, (list price,
        #: promotion) term and sequence of status notices an order heard: a day sells
        #: the same few thousand lines over and over
        self._shared = Interned()

    def accept(self, order: ChannelOrder) -> None:
        """Record an order the channel just took (under a ref never used before)."""
        self.orders.add(order.ref, order)

    def change(self, ref: str) -> ChannelOrder | None:
        """Order `ref` to change in place, back in memory if it had left (a copy read
        from the run's store): `settle` it once changed."""
        return self.orders.for_update(ref)

    def settle(self, order: ChannelOrder) -> None:
        """An order just added or changed: once it heard a final status it is finished
        and may leave memory (a later change brings it back through `change`)."""
        if not FINAL_STATUSES.isdisjoint([status for _, status in order.told]):
            self.orders.finish(order.ref)

    def note_cancel_request(self, ref: str, reason: str) -> None:
        """The customer asked to cancel order `ref` now (a ref the channel took)."""
        order = self.change(ref)
        if order is None:
            raise KeyError(ref)
        order.cancel_requested_at = now_of(self._env)
        order.cancel_reason = reason
        self.settle(order)

    def _ref(self, prefix: str) -> str:
        self._next += 1
        return format_ref(prefix, self._next)

    def _open_return(self, prefix: str, ref: str, lines: list[tuple[str, int]]) -> ReturnOpened:
        """Open a return of order `ref` under a new id. A customer may send one line
        back now and another next week, so each return of an order has its own id: the
        first is PREFIX-REF, as it always was, the next PREFIX-REF-2, PREFIX-REF-3...
        (`simulators/returns_opened.py`)."""
        return self.returns_opened.open(prefix, ref, lines, now_of(self._env))

    def take_from_view(self, view: dict[Any, int], key: Any, qty: int) -> int:
        have = view.get(key, 0)
        take = min(have, qty)
        if take <= 0:  # a hub's negative ATS (oversold) sells nothing, not a negative line
            return 0
        view[key] = have - take
        return take

    def take_lines(
        self,
        view: dict[Any, int],
        wanted: list[tuple[Sku, int]],
        key: Callable[[Sku], Any],
        terms: dict[str, tuple[int, str]],
    ) -> tuple[tuple[str, int, int, int], ...]:
        """The (sku, qty, unit price, tax) lines the view can fill, at the book's prices
        less the deepest basket promotion the book holds that the basket qualifies for,
        each line's (list price, promotion) put in `terms`; counting the lines it could
        not fill in full and the baskets it could not fill at all.

        The lines come back as one shared tuple per distinct basket: a day keeps every
        order it accepted, and most baskets are one of a few thousand (seven in ten
        orders are a single line), so a tuple shared is a list per order saved."""
        taken: list[tuple[Sku, int, int]] = []
        prices, shared = self.prices, self._shared
        for sku, qty in wanted:
            got = self.take_from_view(view, key(sku), qty)
            if got < qty:
                self.lines_dropped += 1
            if got:
                price, list_price, promotion = prices.terms(sku.sku_id, sku.price_cents)
                taken.append((sku, got, price))
                terms[sku.sku_id] = shared((list_price, promotion))
        if not taken:
            self.orders_lost_to_stockout += 1
            return ()
        offer = deepest(prices.live_baskets(), [(price, got) for _, got, price in taken])
        if offer is None:
            return shared(
                tuple(
                    shared((sku.sku_id, got, price, sku.tax_cents(got, price)))
                    for sku, got, price in taken
                )
            )
        lines = []
        for sku, got, price in taken:
            cut = discounted(price, offer.percent_off)
            lines.append(shared((sku.sku_id, got, cut, sku.tax_cents(got, cut))))
            list_price, promotion = terms[sku.sku_id]
            terms[sku.sku_id] = (list_price, promotion_name(promotion, offer.name))
        return shared(tuple(lines))

    def on_ship_feed(
        self, rows: Sequence[tuple[str, int, Sequence[tuple[str, int]]]], sent_at: float
    ) -> None:
        """Apply a push's (sku, ats, ((dc, source seq), ...)) rows, unless a newer push
        set them. A second copy of a push (the broker delivers at least once) is applied
        again, as a naive consumer would; it reflects nothing new. The rows are tuples
        (over HTTP too: `contract.published`); the sequences around them are tuples in
        process and lists from JSON."""
        now = now_of(self._env)
        sent_before, view, reflected = self.feed_sent_at, self.ship_view, self.reflected_seq
        for sku, ats, versions in rows:
            if sent_before.get(sku, -1.0) > sent_at:
                continue
            sent_before[sku] = sent_at
            view[sku] = ats
            for dc, seq in versions:
                if reflected.find_at(sku, dc) != seq:  # see `note_reflected`
                    self.note_reflected((sku, dc), seq, now)

    def note_reflected(self, key: tuple[str, str], seq: int, now: float) -> None:
        """Record that the view now includes the source's movements up to `seq`, and
        tell the meter which movements it learned of now.

        A row at the sequence the view already holds changes nothing here: the feeds
        skip the call for it (`reflected_seq.find(key) != seq`), since most rows of a
        push repeat a position no movement has touched since the last one."""
        last = self.reflected_seq.find(key)
        if last is None:
            last = 0
            if seq <= 0:  # a view with nothing of the source yet moves nowhere
                return
        if seq > last:
            if type(seq) is not int:
                # a feed read from JSON may carry 3.0 for 3 (JSON Schema's "integer"
                # takes it, and an external hub's feed reaches the channel so): kept as
                # the integer it is
                seq = int(seq)
            self.reflected_seq[key] = seq
            if self.sync_lag is not None:
                self.sync_lag.reflected(self.name, key, last, seq, now)
        elif seq < last:
            self.moved_back.append(ViewMovedBack(key, last, seq, now))

    @staticmethod
    def line_terms(order: ChannelOrder, sku: str, price: int) -> tuple[int, str]:
        """(list price, promotion) of an order's line (its price, none, if not kept)."""
        return order.terms.get(sku, (price, ""))

    @staticmethod
    def kept_terms(
        terms: dict[str, tuple[int, str]], lines: Sequence[tuple[str, int, int, int]]
    ) -> Mapping[str, tuple[int, str]]:
        """The terms an order keeps: only those `line_terms` would not give back on its
        own (a line cut from another price, or under a promotion); `NO_TERMS` when none
        is left. A day holds every order until the checker reads it, and a dict each of
        plain list prices was a good part of what an order holds."""
        plain = {sku for sku, _, price, _ in lines if terms.get(sku) == (price, "")}
        plain -= {sku for sku, _, price, _ in lines if terms.get(sku) != (price, "")}
        for sku in plain:
            del terms[sku]
        return terms or NO_TERMS

    def on_prices(self, push: dict[str, Any]) -> None:
        """A price push from the hub: {sku, price_cents, promotion, version} rows under
        `prices`, and basket promotions under `baskets` when it carries any."""
        self.prices.apply(push["prices"], now_of(self._env))
        self.prices.apply_baskets(push.get("baskets", ()))

    def on_status(self, ref: str, status: str, version: int) -> None:
        order = self.change(ref)
        if order is not None:
            order.hear(version, status, now_of(self._env), self._shared)
            self.settle(order)

    def on_return_status(self, return_id: str, status: str, sent_at: float) -> None:
        self.return_statuses.add(return_id, status, sent_at, now_of(self._env))
