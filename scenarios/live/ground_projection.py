"""The read model of a day whose hub cannot be read (an external one): projected from
the systems' own records, into the same tables, so the same API serves it.

The built-in hub's projector (scenarios/twin/projection/projector.py) writes the hub's
aggregates. With a hub in another process there are none to read, so each order and
return is rebuilt from what the channels, the ERP, the DCs, the stores and the gateway
recorded of it (scenarios/checking/ground_orders.py), each stock position is the
location's own count, and what "the hub" offers each channel is what the locations can
sell (scenarios/checking/ground_stock.py), the figure the checker holds the channels'
views against. The message timeline and each order's cross-system view are projected
as for the built-in hub.

Fields that are the hub's own belief are filled with the closest ground truth (said in
docs/integrate.md, "serve --hub"): a position's `reserved` is what the location holds
for orders (set aside, or waiting for a picker), never a hub's reservation of an order
not yet released; its source sequence is the location's latest, so it is never stale;
a channel's `hubAvailable` is what the locations can sell. An order's fraud review is
the fraud screen's own record of it (its answer, its case and the analyst's decision):
never `screening`, since a question on its way is in no record, and with no time the
hub heard the decision, which is the hub's own; its tax state is `none`, since what a
hub quoted or estimated is its own too (the engine records no quotes). A settling
marketplace's payouts, and the money of the orders it collects, are its payments desk's
and the ERP's records (ground_payouts.py).

Incremental like the hub's projector: each order and return has a fingerprint of the
records that make it (cheap to take), and only one whose records moved is rebuilt and
written; positions and availability are compared value by value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from hub.adapters.read_model.company_records import OrderTermsRecord
from hub.adapters.read_model.projection import order_snapshot, return_snapshot
from hub.adapters.read_model.writes import ReadModelWrites
from hub.model.fraud import ReviewState
from hub.model.inventory import InventoryPosition
from hub.model.order import Channel, Order
from hub.model.settlement import Payout
from hub.services.price_sync import HeldPrice
from scenarios.checking.ground_orders import GroundAggregates, OpenedReturn, opened_returns
from scenarios.checking.ground_stock import SellableStock
from scenarios.live.ground_companies import ground_terms, on_account
from scenarios.live.ground_payouts import GroundPayouts, collected_by_channel
from scenarios.twin.projection.projector import Changes, Projector, in_turn
from scenarios.twin.run_result import RunResult
from scenarios.twin.timeline import TimelineRecorder
from simulators.channel import ChannelOrder
from simulators.fraud import ACCEPT, APPROVE, REJECT, REVIEW
from simulators.payment import MoneyMovement


class GroundProjector(Projector):
    """A `Projector` that reads the systems' records where the hub's projector reads
    the hub."""

    def __init__(
        self, result: RunResult, read_model: ReadModelWrites, observer: TimelineRecorder | None
    ) -> None:
        super().__init__(result, read_model, observer)
        self._aggregates = GroundAggregates(result)
        #: the orders as last rebuilt, by id (the timeline and the system views ask)
        self._orders: dict[str, Order] = {}
        self._trace_fps: dict[str, tuple[object, ...]] = {}
        self._refunds_by_reference: dict[str, list[MoneyMovement]] = {}
        self._refunds_seen: dict[str, int] = {}
        self._sellable: SellableStock | None = None
        self._payouts = GroundPayouts()

    # -- the hooks: the systems' records in place of the hub's state -----------------------

    def known_orders(self) -> Mapping[str, Order]:
        return self._orders

    def positions(self) -> Iterable[InventoryPosition]:
        """Every position each location counts, as the location counts it now."""
        estate, sellable = self._result.estate, self._sellable_now()
        for room in (estate.wms.stock, estate.pos.stock):
            for key, on_hand in room.on_hand.items():
                seq = room.seq.get(key, 0)
                yield InventoryPosition(
                    key[0],
                    key[1],
                    on_hand=on_hand,
                    reserved=sellable.reserved(key),
                    safety_stock=sellable.safety_at(key[1]),
                    quarantined=room.quarantined.get(key, 0),
                    source_seq=seq,
                    reported_seq=seq,
                    source_ts=room.last_moved_at.get(key, 0.0),
                )

    def held_prices(self) -> Iterable[HeldPrice]:
        """None: which prices a hub in another process holds, and what it pushed, is
        its own belief, which no system's record shows (the channels' price books say
        what they applied, a different thing), so the API shows no held prices."""
        return ()

    #: what an external hub made of a payout not booked yet is its own
    payouts_show_hub_state = False

    def payouts(self) -> Iterable[Payout]:
        return self._payouts.payouts(self._result)

    def order_terms(self) -> list[OrderTermsRecord]:
        return ground_terms(self._result)

    def ats_ship(self, sku: str) -> int:
        return self._sellable_now().ship(sku)

    def ats_store(self, sku: str, store: str) -> int:
        return self._sellable_now().at((sku, store))

    def _sellable_now(self) -> SellableStock:
        if self._sellable is None:
            self._sellable = SellableStock(self._result)
        return self._sellable

    async def project(self) -> Changes:
        # what the locations can sell is taken once per projection: the stock and the
        # queued releases do not move while it runs
        self._sellable = None
        self._gateway.refresh(self._result)
        self._refresh_refunds()
        return await super().project()

    # -- orders and returns -----------------------------------------------------------------

    def _trace_fingerprint(self, placed: ChannelOrder) -> tuple[object, ...]:
        """Everything the rebuilt order is made of, cheap to take: when it has not
        changed, neither has the order."""
        estate, ref = self._result.estate, placed.ref
        release = estate.wms.order_release(ref)
        pickup = estate.pos.pickups.get(ref)
        booked = estate.erp.sales_orders_by_external_ref.get(ref) or ()
        now = estate.now
        return (
            len(placed.notices),
            placed.cancel_requested_at,
            placed.acked_at,
            None if release is None else (release.status, len(release.picked)),
            None if pickup is None else (pickup.status, len(pickup.picked)),
            tuple(estate.erp.documents[number].status for number in booked),
            len(estate.erp.by_ref.get(f"INV-{ref}") or ()),
            ref in estate.payment.declined,
            self._screened(ref),
            len(self._gateway.desk_movements_by_order.get(ref, ())),
            tuple(
                (auth.captured, auth.refunded, auth.voided, now > auth.expires_at)
                for auth in self._gateway.auths_by_reference.get(ref, ())
            ),
        )

    def _screened(self, ref: str) -> tuple[str, str, str]:
        """The fraud screen's record of an order: its answer, the review case and the
        analyst's decision ("" for each it does not have)."""
        screen = self._result.estate.fraud
        if screen is None:
            return ("", "", "")
        case = screen.cases.get(ref)
        answer = screen.screened.get(ref, "")
        return (answer, "", "") if case is None else (answer, case.case_id, case.decision)

    async def _project_orders(self, now: float, changes: Changes) -> None:
        estate = self._result.estate
        placed_orders = [*estate.storefront.orders.values()]
        settles: dict[str, tuple[str, bool]] = {}  # a marketplace order: (its name, settles)
        for marketplace in estate.marketplaces:
            placed_orders += marketplace.orders.values()
            found = (marketplace.system, marketplace.settlement is not None)
            settles.update(dict.fromkeys(marketplace.orders, found))
        snapshots = []
        async for placed in in_turn(placed_orders):
            fingerprint = self._trace_fingerprint(placed)
            if self._trace_fps.get(placed.ref) == fingerprint:
                continue
            self._trace_fps[placed.ref] = fingerprint
            auths = self._gateway.auths_by_reference.get(placed.ref, [])
            order = self._aggregates.order(placed, auths)
            order.review_state, order.review_case = review_of(*self._screened(placed.ref))
            on_account(self._result, order)
            self._orders[placed.ref] = order
            refunded = sum(auth.refunded for auth in auths)
            name, settling = settles.get(placed.ref, ("", False))
            order.marketplace = name
            if placed.channel == Channel.MARKETPLACE and settling:
                refunded += collected_by_channel(order, self._gateway)
            snapshots.append(order_snapshot(order, refunded, now))
            changes.orders.add(placed.ref)
        await self._read_model.write_orders(snapshots)

    def _refresh_refunds(self) -> None:
        """The gateway's refunds and a settling marketplace's, by the return they are
        for (each movement's reference)."""
        desks = [(m.system, m.settlement) for m in self._result.estate.marketplaces]
        for source, refunds in (
            ("payment", self._result.estate.payment.refunds),
            *((f"desk:{name}", desk.refunds) for name, desk in desks if desk is not None),
        ):
            for movement in refunds[self._refunds_seen.get(source, 0) :]:
                self._refunds_by_reference.setdefault(movement.reference, []).append(movement)
            self._refunds_seen[source] = len(refunds)

    def _return_fingerprint(self, opened: OpenedReturn) -> tuple[object, ...]:
        estate, rid = self._result.estate, opened.return_id
        expected = estate.wms.returns.get(rid)
        return (
            None if expected is None else (expected.status, expected.grade),
            len(self._refunds_by_reference.get(rid, ())),
            len(estate.erp.by_ref.get(f"CM-{rid}") or ()),
            len(estate.storefront.return_statuses.get(rid, ())),
            sum(len(m.return_statuses.get(rid, ())) for m in estate.marketplaces),
        )

    async def _project_returns(self, now: float, changes: Changes) -> None:
        snapshots = []
        async for opened in in_turn(opened_returns(self._result)):
            fingerprint = self._return_fingerprint(opened)
            if self._return_fps.get(opened.return_id) == fingerprint:
                continue
            self._return_fps[opened.return_id] = fingerprint
            refunds = self._refunds_by_reference.get(opened.return_id, [])
            snapshots.append(return_snapshot(self._aggregates.return_of(opened, refunds), now))
            changes.returns.add(opened.return_id)
            if opened.order_id in self._orders:  # not a till's own sale
                changes.orders.add(opened.order_id)
        await self._read_model.write_returns(snapshots)


def review_of(answer: str, case_id: str, decision: str) -> tuple[ReviewState, str]:
    """An order's review state and case, from the fraud screen's answer ("accept",
    "review" or "" when it was never asked) and its analyst's decision ("approve",
    "reject" or "" while the case is open)."""
    if answer == REVIEW:
        decided = {APPROVE: ReviewState.APPROVED, REJECT: ReviewState.REJECTED}
        return decided.get(decision, ReviewState.IN_REVIEW), case_id
    if answer == ACCEPT:
        return ReviewState.CLEARED, ""
    return ReviewState.NONE, ""
