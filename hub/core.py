"""The hub's front door: facts in, responses in, timers in; effects out through ports.

Everything the hub does starts here, from one of three calls a runtime makes:
`receive` (a backend or channel sent a message), `on_response` (a call it made was
answered) and `on_timer` (a time it asked to be woken at has come), plus the operator's
actions. It returns nothing: what it wants done leaves through the transport and
scheduler it was built with.

With a journal (the default, `HubPolicy.journal`), each of these is a unit of work:
the input is committed to the durable store (before it is handled, if the store commits
at once) before anything decided while handling it leaves, and a message is acknowledged
only then. A hub that crashed is rebuilt by `replay` of the committed inputs and goes on
with `resume` (hub/durability/).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from hub.adapters import (
    MalformedPayload,
    dropship,
    erp,
    fraud,
    marketplace,
    pos,
    pricing,
    web,
    wms,
)
from hub.consumer import IdempotentConsumer
from hub.context import HubContext
from hub.durability.entries import (
    Answered,
    Entry,
    Operated,
    OperatorAction,
    Received,
    TimerFired,
)
from hub.durability.journal import Journal
from hub.messages import (
    ImportResult,
    InboundEvent,
    OrderCancellationRequested,
    OrderPicked,
    OrderReceived,
    PickupCollected,
    PickupReady,
    PricesChanged,
    PurchaseOrderAcknowledged,
    RemittanceReceived,
    ReturnInspected,
    ReturnReceived,
    ReturnRequested,
    ReviewDecided,
    SettlementReported,
    ShipmentConfirmed,
    StockFeedReceived,
    StockReceived,
    StockReport,
    StoreSaleRecorded,
)
from hub.model.order import Order
from hub.model.returns import Return
from hub.ports import Body
from hub.resilience.dead_letter import DeadLetter
from hub.services.availability import AvailabilityService
from hub.services.dropship import ACK_TIMER as PARTNER_ACK_TIMER
from hub.services.dropship import DropShip
from hub.services.erp_ledger_check import ErpLedgerCheck
from hub.services.erp_leg import ErpLeg
from hub.services.erp_writer import ErpWriter
from hub.services.fraud_leg import FraudLeg
from hub.services.order_to_cash import OrderToCash
from hub.services.price_sync import FLUSH_TIMER, PriceSync
from hub.services.receivables import MATCH_TIMER as REMITTANCE_TIMER
from hub.services.receivables import Receivables
from hub.services.reconciliation import Reconciliation
from hub.services.return_to_refund import ReturnToRefund
from hub.services.settlement import MATCH_TIMER, Settlement
from hub.services.store_trading import StoreTrading
from hub.services.tax_leg import QUOTE_DUE_TIMER, TaxLeg

PARSERS: dict[str, Callable[[Body], InboundEvent]] = {
    erp.SOURCE: erp.parse,
    web.SOURCE: web.parse,
    marketplace.SOURCE: marketplace.parse,
    wms.SOURCE: wms.parse,
    pos.SOURCE: pos.parse,
    pricing.SOURCE: pricing.parse,
    fraud.SOURCE: fraud.parse,
    dropship.SOURCE: dropship.parse,
}


#: events that bring an order or a return into being: facts parked for it can now go on
_OPENS_AN_AGGREGATE = (OrderReceived, ReturnRequested)


#: the body of the answer a restarted hub gives itself for a call that was in flight
LOST_IN_RESTART = {"error": "the hub restarted before the answer came"}


class Hub:
    def __init__(self, ctx: HubContext, journal: Journal | None = None) -> None:
        self.ctx = ctx
        self.journal = journal
        self._ack_early = ctx.policy.has_defect("ack_before_commit")
        self.consumer = IdempotentConsumer(ctx.policy.idempotency)
        self.availability = AvailabilityService(ctx)
        self.erp_writer = ErpWriter(ctx)
        self.tax_leg = TaxLeg(ctx)
        self.erp_leg = ErpLeg(ctx, self.erp_writer, self.tax_leg)
        self._parked: dict[str, list[InboundEvent]] = {}
        self.order_to_cash = OrderToCash(
            ctx,
            self.availability,
            self.erp_leg,
            self.tax_leg,
            FraudLeg(ctx, self._park),
            self._park,
        )
        self.store_trading = StoreTrading(ctx, self.availability, self.erp_writer)
        self.returns = ReturnToRefund(ctx, self.availability, self.erp_leg, self._park)
        self.order_to_cash.payment_settled.append(self.returns.on_payment_settled)
        self.reconciliation = Reconciliation(
            ctx, self.availability, ErpLedgerCheck(ctx, self.erp_writer)
        )
        self.price_sync = PriceSync(ctx)
        self.settlement = Settlement(ctx, self.erp_writer)
        self.receivables = Receivables(ctx, self.erp_writer)
        self.dropship = DropShip(ctx, self.availability, self.order_to_cash.fulfilment)
        otc, rtr = self.order_to_cash, self.returns
        fulfilment = otc.fulfilment
        #: each marketplace's messages, parsed as its own (their orders carry its name)
        self._parsers = dict(PARSERS)
        for name in ctx.topology.marketplaces:
            self._parsers[name] = marketplace.parser(name)
        self._handlers: dict[type, Callable[[Any], None]] = {
            ImportResult: self.erp_writer.on_import_result,
            OrderReceived: otc.on_order_received,
            OrderCancellationRequested: otc.cancellation.on_cancellation_requested,
            OrderPicked: fulfilment.on_picked,
            ShipmentConfirmed: fulfilment.on_shipment,
            PickupReady: fulfilment.on_pickup_ready,
            PickupCollected: fulfilment.on_pickup_collected,
            StoreSaleRecorded: self.store_trading.on_sale,
            StockReceived: self.store_trading.on_receipt,
            ReturnRequested: rtr.on_requested,
            ReturnReceived: rtr.on_received,
            ReturnInspected: rtr.on_inspected,
            PricesChanged: self.price_sync.on_prices_changed,
            ReviewDecided: otc.fraud.on_review_decided,
            SettlementReported: self.settlement.on_reported,
            RemittanceReceived: self.receivables.on_remittance,
            PurchaseOrderAcknowledged: self.dropship.on_acknowledged,
            StockFeedReceived: self.dropship.on_stock_feed,
        }
        calls = ctx.calls
        self._timers: dict[str, Callable[[Any], None]] = {
            "call_retry": calls.on_retry_due,
            "lane_probe": calls.on_probe_due,
            "feed_flush": lambda _: self.availability.flush(),
            "store_summary": lambda _: self.store_trading.on_summary_due(),
            "reconcile": lambda _: self.reconciliation.on_due(),
            "dead_letter_sweep": lambda _: self._sweep_dead_letters(),
            FLUSH_TIMER: lambda _: self.price_sync.flush(),
            QUOTE_DUE_TIMER: self.tax_leg.on_quote_due,
            MATCH_TIMER: self.settlement.on_match_due,
            REMITTANCE_TIMER: self.receivables.on_match_due,
            PARTNER_ACK_TIMER: self.dropship.on_ack_due,
        }
        policy = ctx.policy
        if policy.auto_replay and policy.auto_replay_interval_s > 0:
            ctx.scheduler.call_later(policy.auto_replay_interval_s, ("dead_letter_sweep", None))
        self.messages_handled = 0

    # -- the three ways in ---------------------------------------------------------

    def receive(self, source: str, message_id: int, payload: Body) -> None:
        journal = self.journal
        if journal is None:
            self._handle_message(source, message_id, payload)
            self.ctx.transport.acknowledge(source, message_id)
            return
        ack_early = self._ack_early
        if ack_early:  # the seeded defect: acknowledged before it is on record
            journal.outbox.acknowledge_now(source, message_id)
        if journal.ahead:  # committed first (`Journal.ahead`): decisions leave as made
            journal.received_ahead(source, message_id, payload, self.ctx.clock.now())
            self._handle_message(source, message_id, payload)
            if not ack_early:  # the acknowledgement last
                journal.acknowledge(source, message_id)
            return
        journal.begin()
        self._handle_message(source, message_id, payload)
        # acknowledged by the journal once committed, after the unit's other decisions
        journal.commit_received(
            source, message_id, payload, self.ctx.clock.now(), acknowledge=not ack_early
        )

    def on_response(self, system: str, call_id: int, status: int, body: Body) -> None:
        journal = self.journal
        if journal is None:
            self.ctx.calls.on_response(system, call_id, status, body)
        elif journal.ahead:  # committed first, as a message is
            journal.answered_ahead(system, call_id, status, body, self.ctx.clock.now())
            self.ctx.calls.on_response(system, call_id, status, body)
        else:
            journal.begin()
            self.ctx.calls.on_response(system, call_id, status, body)
            journal.commit_answered(system, call_id, status, body, self.ctx.clock.now())

    def on_timer(self, timer: tuple[str, Any]) -> None:
        journal = self.journal
        if journal is None:
            self._timers[timer[0]](timer[1])
        elif journal.ahead:  # committed first, as a message is
            journal.timer_ahead(timer, self.ctx.clock.now())
            self._handle_timer(timer)
        else:
            journal.begin()
            self._handle_timer(timer)
            journal.commit_timer(timer, self.ctx.clock.now())

    def _handle_timer(self, timer: tuple[str, Any]) -> None:
        if self.journal is not None:
            self.journal.outbox.fired(timer)
        self._timers[timer[0]](timer[1])

    def _handle_message(self, source: str, message_id: int, payload: Body) -> None:
        ctx = self.ctx
        if not self.consumer.first_time(source, message_id, ctx.clock.now()):
            return
        self.messages_handled += 1
        try:
            event = self._parsers[source](payload)
        except (KeyError, TypeError, ValueError) as exc:
            reason = (
                str(exc)
                if isinstance(exc, MalformedPayload)
                else (f"{source}: malformed payload ({type(exc).__name__}: {exc})")
            )
            ctx.dead_letters.add(
                DeadLetter(
                    "inbound",
                    f"{source}:{message_id}",
                    reason,
                    ctx.clock.now(),
                    (source, message_id, payload),
                )
            )
            return
        self._handlers[type(event)](event)
        if isinstance(event, _OPENS_AN_AGGREGATE):
            key = event.order_id if isinstance(event, OrderReceived) else event.return_id
            parked = self._parked.pop(key, None)
            if parked:
                for waiting in parked:
                    self._handlers[type(waiting)](waiting)

    # -- operations -----------------------------------------------------------------

    def _park(self, key: str, event: InboundEvent) -> None:
        """Hold a fact about an aggregate the hub has not seen yet, until it arrives."""
        self._parked.setdefault(key, []).append(event)
        self.ctx.count("events_parked")

    def _sweep_dead_letters(self) -> None:
        ctx = self.ctx
        if len(ctx.dead_letters):
            ctx.calls.sweep_dead_letters()
        ctx.scheduler.call_later(ctx.policy.auto_replay_interval_s, ("dead_letter_sweep", None))

    def replay_dead_letters(self) -> int:
        """Operator action: retry every dead-lettered call and inbound message."""
        return int(self._operate(OperatorAction.REPLAY_DEAD_LETTERS, ()))

    def end_of_day(self) -> None:
        """Close the trading day: post the last store summaries and push every feed."""
        self._operate(OperatorAction.END_OF_DAY, ())

    def load_stock(self, reports: Iterable[StockReport]) -> None:
        """Start-of-day sync: take every location's stock as its system reports it, and
        push the resulting availability to the channels at once."""
        self._operate(OperatorAction.LOAD_STOCK, (tuple(reports),))

    def _operate(self, action: OperatorAction, args: tuple[Any, ...]) -> Any:
        journal = self.journal
        if journal is None:
            return self._carry_out(action, args)
        journal.begin()
        result = self._carry_out(action, args)
        journal.commit(Operated(action, args, self.ctx.clock.now()))
        return result

    def _carry_out(self, action: OperatorAction, args: tuple[Any, ...]) -> Any:
        match action:
            case OperatorAction.REPLAY_DEAD_LETTERS:
                replayed = self.ctx.calls.replay_dead_letters()
                inbound = self.ctx.dead_letters.take(lambda letter: letter.kind == "inbound")
                for letter in inbound:
                    source, message_id, payload = letter.payload
                    self.consumer.forget(source, message_id)
                    self._handle_message(source, message_id, payload)
                    replayed += 1
                return replayed
            case OperatorAction.END_OF_DAY:
                self.store_trading.post_summaries()
                self.availability.publish_now()
            case OperatorAction.LOAD_STOCK:
                self.availability.apply_reports(args[0])
                self.availability.publish_now()
        return None

    # -- after a crash ----------------------------------------------------------------

    def replay(self, entries: Iterable[Entry]) -> int:
        """Rebuild from the journal: handle every committed input again, at its time,
        letting nothing out (it went out before the crash); returns how many."""
        journal = self.journal
        if journal is None:
            raise RuntimeError("a hub without a journal has nothing to replay")
        journal.start_replay()
        count = 0
        for entry in entries:
            journal.at(entry)
            match entry:
                case Received(source, message_id, payload, _):
                    self._handle_message(source, message_id, payload)
                case Answered(system, call_id, status, body, _):
                    self.ctx.calls.on_response(system, call_id, status, body)
                case TimerFired(timer, _):
                    self._handle_timer(timer)
                case Operated(action, args, _):
                    self._carry_out(action, args)
            count += 1
        journal.end_replay()
        return count

    def resume(self) -> None:
        """Go on after a replay: arm again the timers the crash threw away, and treat
        every call that was in flight as a timeout (its answer went to the dead
        process): a retry-safe call is sent again under its key, a retry-unsafe ERP
        write is looked up first, as after any lost answer."""
        if self.journal is not None:
            self.journal.outbox.arm_pending()
        for system, call_id in self.ctx.calls.in_flight():
            self.on_response(system, call_id, 504, LOST_IN_RESTART)

    # -- memory -------------------------------------------------------------------------

    def archive_finished(self) -> int:
        """Hand the orders and returns that are finished to their books' archives
        (hub/aggregates.py); how many went. What the hub does is unchanged: a later
        look-up brings one back. Without archives (the default) nothing moves."""
        ctx = self.ctx
        return ctx.orders.archive_finished(_finished) + ctx.returns.archive_finished(_finished)

    def seal_books(self) -> None:
        """The day is over: from now on reading an archived order or return reads a
        copy and moves nothing (the checker and the read model read them)."""
        self.ctx.orders.seal()
        self.ctx.returns.seal()

    def parked_count(self) -> int:
        return sum(len(events) for events in self._parked.values())

    def idle(self) -> bool:
        """Nothing in flight: no calls waiting, no feed changes unpushed."""
        return (
            self.ctx.calls.idle()
            and self.availability.pending_changes() == 0
            and self.price_sync.pending_changes() == 0
            and self.store_trading.pending_transactions() == 0
            and not self.reconciliation.running
            and self.erp_writer.awaiting_import == 0
        )

    def gauges(self) -> dict[str, float]:
        calls = self.ctx.calls
        gauges: dict[str, float] = {
            "dead_letter_depth": len(self.ctx.dead_letters),
            "parked_events": self.parked_count(),
            "feed_pending_changes": self.availability.pending_changes(),
            "erp_awaiting_import": self.erp_writer.awaiting_import,
        }
        for system in calls.systems():
            gauges[f"{system}_queue_depth"] = calls.lane_depth(system)
        return gauges


def _finished(aggregate: Order | Return) -> bool:
    """Terminal and out of the exception queue: only a return, a late event or a
    settlement will name an order again (a return: a late event)."""
    return aggregate.is_terminal and not aggregate.exceptions
