"""What each list can be filtered by, as SQL conditions (every filter is a WHERE clause
the database answers from its indexes, never a row tested in Python).

A filter's fields are all optional; every one given must match.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, false, func, not_, or_, select, true

from hub.adapters.read_model import tables
from hub.adapters.read_model.return_clock import ReturnClock
from hub.adapters.read_model.sorting import position_available
from hub.model.fraud import HELD, ReviewState


@dataclass(frozen=True, slots=True)
class OrderFilter:
    statuses: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    #: the fulfilling DC or store, or the pickup store
    location: str | None = None
    placed_from: float | None = None
    placed_to: float | None = None
    customer_id: str | None = None
    in_sync: bool | None = None
    payment_states: tuple[str, ...] = ()
    updated_from: float | None = None
    updated_to: float | None = None
    #: only orders in the exception queue (True) or out of it (False)
    has_exception: bool | None = None
    #: only orders in one of these fraud review states (hub.model.fraud.ReviewState's
    #: words)
    review_states: tuple[str, ...] = ()
    #: only orders the fraud screen holds (True: screening or in review) or does not
    held: bool | None = None


#: the review states that hold an order back from fulfilment, as the read model stores
#: them
HELD_STATES = tuple(sorted(state.value for state in HELD))


@dataclass(frozen=True, slots=True)
class ReturnFilter:
    statuses: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    location: str | None = None
    requested_from: float | None = None
    requested_to: float | None = None
    order_id: str | None = None
    updated_from: float | None = None
    updated_to: float | None = None
    has_exception: bool | None = None
    #: only returns that broke the run's return-to-refund SLA (True) or did not
    sla_breached: bool | None = None


@dataclass(frozen=True, slots=True)
class PositionFilter:
    sku: str | None = None
    location: str | None = None
    location_kind: str | None = None
    #: only positions whose source has moved on since the hub's last report
    stale: bool | None = None
    available_at_most: int | None = None
    on_hand_at_most: int | None = None


@dataclass(frozen=True, slots=True)
class SkuFilter:
    #: a case-insensitive part of the name or id
    search: str | None = None
    category: str | None = None
    #: thresholds on the SKU's totals over every location
    total_available_at_most: int | None = None
    total_on_hand_at_most: int | None = None
    #: only the SKUs the hub holds a price of this promotion for (in `price_channel`,
    #: or in any channel)
    promotion: str | None = None
    price_channel: str | None = None


def between(column: Any, low: float | None, high: float | None) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if low is not None:
        clauses.append(column >= low)
    if high is not None:
        clauses.append(column < high)
    return clauses


def _has_exception(column: Any, wanted: bool | None) -> list[ColumnElement[bool]]:
    if wanted is None:
        return []
    return [column != "" if wanted else column == ""]


def _review_in(states: tuple[str, ...], missing: frozenset[str]) -> ColumnElement[bool]:
    """Orders whose review state is one of `states`. A read model written before fraud
    screens has no such column, and every order there stands as an order in an estate
    without a screen (`none`): decided here, without asking the database."""
    if "review_state" in missing:
        return true() if ReviewState.NONE.value in states else false()
    return tables.orders.c.review_state.in_(states)


def _review_clauses(where: OrderFilter, missing: frozenset[str]) -> list[ColumnElement[bool]]:
    clauses: list[ColumnElement[bool]] = []
    if where.review_states:
        clauses.append(_review_in(where.review_states, missing))
    if where.held is not None:
        held = _review_in(HELD_STATES, missing)
        clauses.append(held if where.held else not_(held))
    return clauses


def order_clauses(
    where: OrderFilter, missing: frozenset[str] = frozenset()
) -> list[ColumnElement[bool]]:
    """The orders that match `where`; `missing`: the orders columns the database lacks
    (a read model an earlier version wrote), which read as their defaults."""
    t = tables.orders
    clauses: list[ColumnElement[bool]] = _review_clauses(where, missing)
    if where.statuses:
        clauses.append(t.c.status.in_(where.statuses))
    if where.channels:
        clauses.append(t.c.channel.in_(where.channels))
    if where.payment_states:
        clauses.append(t.c.payment_state.in_(where.payment_states))
    if where.location is not None:
        clauses.append(or_(t.c.location == where.location, t.c.pickup_store == where.location))
    if where.customer_id is not None:
        clauses.append(t.c.customer_id == where.customer_id)
    clauses += between(t.c.placed_at, where.placed_from, where.placed_to)
    clauses += between(t.c.updated_at, where.updated_from, where.updated_to)
    clauses += _has_exception(t.c.exception, where.has_exception)
    if where.in_sync is not None:
        sync = tables.order_sync
        synced = select(sync.c.order_id).where(sync.c.in_sync == where.in_sync)
        clauses.append(t.c.id.in_(synced))
    return clauses


def return_clauses(where: ReturnFilter, clock: ReturnClock) -> list[ColumnElement[bool]]:
    t = tables.returns
    clauses: list[ColumnElement[bool]] = []
    if where.statuses:
        clauses.append(t.c.status.in_(where.statuses))
    if where.channels:
        clauses.append(t.c.channel.in_(where.channels))
    if where.location is not None:
        clauses.append(t.c.location == where.location)
    if where.order_id is not None:
        clauses.append(t.c.order_id == where.order_id)
    clauses += between(t.c.requested_at, where.requested_from, where.requested_to)
    clauses += between(t.c.updated_at, where.updated_from, where.updated_to)
    clauses += _has_exception(t.c.exception, where.has_exception)
    if where.sla_breached is not None:
        breached = clock.sla_breached()
        clauses.append(breached if where.sla_breached else ~breached)
    return clauses


def position_clauses(where: PositionFilter) -> list[ColumnElement[bool]]:
    t = tables.positions
    clauses: list[ColumnElement[bool]] = []
    if where.sku is not None:
        clauses.append(t.c.sku == where.sku)
    if where.location is not None:
        clauses.append(t.c.location == where.location)
    if where.location_kind is not None:
        kinds = select(tables.locations.c.id).where(tables.locations.c.kind == where.location_kind)
        clauses.append(t.c.location.in_(kinds))
    if where.stale is True:
        clauses.append(t.c.source_seq_latest > t.c.source_seq)
    elif where.stale is False:
        clauses.append(t.c.source_seq_latest <= t.c.source_seq)
    if where.available_at_most is not None:
        clauses.append(position_available <= where.available_at_most)
    if where.on_hand_at_most is not None:
        clauses.append(t.c.on_hand <= where.on_hand_at_most)
    return clauses


def sku_total(column: ColumnElement[int]) -> ColumnElement[int]:
    """A SKU's sum of `column` (a positions column or expression) over every location,
    0 where it has no position: correlated to the SKUs row, answered from the
    positions' primary key (sku, location)."""
    positions = tables.positions
    total = select(func.sum(column)).where(positions.c.sku == tables.skus.c.id).scalar_subquery()
    return func.coalesce(total, 0)


def sku_clauses(where: SkuFilter) -> list[ColumnElement[bool]]:
    t = tables.skus
    clauses: list[ColumnElement[bool]] = []
    if where.search:
        needle = where.search.lower()
        clauses.append(
            or_(
                func.lower(t.c.name).contains(needle, autoescape=True),
                func.lower(t.c.id).contains(needle, autoescape=True),
            )
        )
    if where.category is not None:
        clauses.append(t.c.category == where.category)
    if where.total_available_at_most is not None:
        clauses.append(sku_total(position_available) <= where.total_available_at_most)
    if where.total_on_hand_at_most is not None:
        clauses.append(sku_total(tables.positions.c.on_hand) <= where.total_on_hand_at_most)
    if where.promotion is not None:
        prices = tables.channel_prices
        held = select(prices.c.sku).where(prices.c.promotion == where.promotion)
        if where.price_channel is not None:
            held = held.where(prices.c.channel == where.price_channel)
        clauses.append(t.c.id.in_(held))
    return clauses
