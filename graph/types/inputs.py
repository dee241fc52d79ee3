"""Arguments: filters for the lists and one `input` per mutation (Shopify's convention),
each side-effecting one with a required `idempotencyKey`."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from graph.types.common import OrderStatus, PaymentState, ReturnStatus, SalesChannel
from graph.types.enum_values import enum_value
from graph.types.faults import FaultKind
from graph.types.node import LEGACY_ID_HELP
from graph.types.order_holds import FraudReviewState
from simulators.faults import LINK, REGION, SYSTEMS

IDEMPOTENCY_HELP = (
    "Any string unique to this change, chosen by the client. Sending the same "
    "key again returns the stored result and changes nothing."
)

SEARCH_HELP = "Only SKUs whose name or id contains this, in any case."
CATEGORY_HELP = "Only SKUs of this category (`Sku.category`), exactly."


@strawberry.input(description="Filters for the orders list; all given must match.")
class OrderFilter:
    status: list[OrderStatus] | None = strawberry.field(
        default=None, description="Only orders in one of these statuses."
    )
    channel: list[SalesChannel] | None = strawberry.field(
        default=None, description="Only orders placed through one of these channels."
    )
    location_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="The fulfilling DC or store, or the pickup store: a Location's id. "
        + LEGACY_ID_HELP,
    )
    placed_after: datetime | None = strawberry.field(
        default=None, description="Only orders placed at or after this time."
    )
    placed_before: datetime | None = strawberry.field(
        default=None, description="Only orders placed before this time."
    )
    customer_id: strawberry.ID | None = strawberry.field(
        default=None, description="A Customer's id. " + LEGACY_ID_HELP
    )
    in_sync: bool | None = strawberry.field(
        default=None, description="Only orders whose systems agree (true) or disagree (false)."
    )
    payment_state: list[PaymentState] | None = strawberry.field(
        default=None, description="Only orders whose money is in one of these states."
    )
    updated_after: datetime | None = strawberry.field(
        default=None, description="Only orders that last changed at or after this time."
    )
    updated_before: datetime | None = strawberry.field(
        default=None, description="Only orders that last changed before this time."
    )
    has_exception: bool | None = strawberry.field(
        default=None,
        description="Only orders in the exception queue (true), or out of it (false).",
    )
    fraud_review_state: list[FraudReviewState] | None = strawberry.field(
        default=None,
        description="Only orders whose fraud review (`Order.fraudReview.state`) is one of these.",
    )
    held: bool | None = strawberry.field(
        default=None,
        description=(
            "Only orders the fraud screen holds back from fulfillment now (true: "
            "`SCREENING` or `IN_REVIEW`), or those it does not hold (false)."
        ),
    )


@strawberry.input(description="Filters for the returns list; all given must match.")
class ReturnFilter:
    status: list[ReturnStatus] | None = strawberry.field(
        default=None, description="Only returns in one of these statuses."
    )
    channel: list[SalesChannel] | None = strawberry.field(
        default=None, description="Only returns that came through one of these channels."
    )
    location_id: strawberry.ID | None = strawberry.field(
        default=None, description="A Location's id. " + LEGACY_ID_HELP
    )
    order_id: strawberry.ID | None = strawberry.field(
        default=None, description="An Order's id. " + LEGACY_ID_HELP
    )
    requested_after: datetime | None = strawberry.field(
        default=None, description="Only returns requested at or after this time."
    )
    requested_before: datetime | None = strawberry.field(
        default=None, description="Only returns requested before this time."
    )
    updated_after: datetime | None = strawberry.field(
        default=None, description="Only returns that last changed at or after this time."
    )
    updated_before: datetime | None = strawberry.field(
        default=None, description="Only returns that last changed before this time."
    )
    has_exception: bool | None = strawberry.field(
        default=None,
        description="Only returns in the exception queue (true), or out of it (false).",
    )
    sla_breached: bool | None = strawberry.field(
        default=None,
        description=(
            "Only returns that broke the run's return-to-refund SLA (true), or did not "
            "(false); see `Return.slaBreached`."
        ),
    )


@strawberry.input(description="Filters for the SKUs list; all given must match.")
class SkuFilter:
    search: str | None = strawberry.field(default=None, description=SEARCH_HELP)
    category: str | None = strawberry.field(default=None, description=CATEGORY_HELP)
    total_available_at_most: int | None = strawberry.field(
        default=None,
        description=(
            "Only SKUs whose `totalAvailable` (over every location) is at most this: "
            "the low-stock list."
        ),
    )
    total_on_hand_at_most: int | None = strawberry.field(
        default=None, description="Only SKUs whose `totalOnHand` is at most this."
    )


@strawberry.enum(description="Channels an order can be created through with orderCreate.")
class OrderChannel(Enum):
    WEB = enum_value(
        "web", description="The web storefront; the order ships as a parcel from a DC."
    )
    CLICK_COLLECT = enum_value(
        "click_collect",
        description="The web storefront, collected at `pickupStoreId`, which fills it.",
    )
    MARKETPLACE = enum_value(
        "marketplace", description="The marketplace, which passes the order on to the hub."
    )


@strawberry.input(description="One line of a new order: a SKU and how many units.")
class OrderLineInput:
    sku_id: strawberry.ID = strawberry.field(
        description="The SKU ordered (`Sku.id`). " + LEGACY_ID_HELP
    )
    quantity: int = strawberry.field(description="Units ordered, 1 to 100.")


@strawberry.input(
    description=(
        "A new order, placed the way a customer would: through the storefront (or the "
        "marketplace), which sends it over the network to the hub."
    )
)
class OrderCreateInput:
    idempotency_key: str = strawberry.field(description=IDEMPOTENCY_HELP)
    lines: list[OrderLineInput] = strawberry.field(
        description="What is ordered, one line per SKU; at least one line."
    )
    channel: OrderChannel = strawberry.field(
        default=OrderChannel.WEB, description="Where the customer places it; WEB if not given."
    )
    customer_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="A Customer's id; defaults to the world's first customer. " + LEGACY_ID_HELP,
    )
    pickup_store_id: strawberry.ID | None = strawberry.field(
        default=None,
        description="A store Location's id; required for CLICK_COLLECT. " + LEGACY_ID_HELP,
    )


@strawberry.input(
    description=(
        "A customer asks to cancel an order through its channel; the hub cancels it if it "
        "has not been picked yet (ORDER_NOT_CANCELLABLE otherwise)."
    )
)
class OrderCancelInput:
    idempotency_key: str = strawberry.field(description=IDEMPOTENCY_HELP)
    order_id: strawberry.ID = strawberry.field(
        description="The order to cancel (`Order.id`). " + LEGACY_ID_HELP
    )
    reason: str | None = strawberry.field(
        default=None,
        description='The customer\'s reason, free text; "cancelled through the API" if omitted.',
    )


@strawberry.input(description="One line of a return: a SKU of the order and how many units.")
class ReturnLineInput:
    sku_id: strawberry.ID = strawberry.field(
        description="The SKU sent back (`Sku.id`). " + LEGACY_ID_HELP
    )
    quantity: int = strawberry.field(description="Units sent back, at least 1.")


@strawberry.input(
    description=(
        "A customer asks to send back delivered goods. An order may be returned in several "
        "requests (one line now, another later), each with its own idempotency key; each "
        "opens a return with its own id."
    )
)
class ReturnRequestInput:
    idempotency_key: str = strawberry.field(description=IDEMPOTENCY_HELP)
    order_id: strawberry.ID = strawberry.field(
        description="The delivered order the goods come from (`Order.id`). " + LEGACY_ID_HELP
    )
    lines: list[ReturnLineInput] = strawberry.field(
        description=(
            "What comes back, one line per SKU: at most what was delivered less what the "
            "order's earlier returns already claim (QUANTITY_NOT_RETURNABLE otherwise)."
        )
    )


@strawberry.enum(description="Whether `faultInject` starts a fault or ends one.")
class FaultAction(Enum):
    START = enum_value("start", description="Start a fault: `target` and `kind` are required.")
    END = enum_value("end", description="End the fault `faultId` names now.")


@strawberry.input(
    description=(
        "Start or end a fault, as a scenario's fault schedule can: target a system ("
        + ", ".join(SYSTEMS)
        + f"), a link ({LINK}) or a store region ({REGION}). Which kinds each target can "
        "have is the scenario file's rule; a kind its target cannot have is a userError."
    )
)
class FaultInjectInput:
    idempotency_key: str = strawberry.field(description=IDEMPOTENCY_HELP)
    action: FaultAction = strawberry.field(description="Start a fault or end one.")
    target: str | None = strawberry.field(
        default=None,
        description="START only: what to hit; a system, link or region name, so a string.",
    )
    kind: FaultKind | None = strawberry.field(
        default=None, description="START only: what goes wrong."
    )
    rate: float = strawberry.field(
        default=0.0,
        description="Probability, requests per second or slow-down factor, as the kind needs.",
    )
    duration_seconds: float | None = strawberry.field(
        default=None, description="End the fault by itself after this many simulated seconds."
    )
    fault_id: strawberry.ID | None = strawberry.field(
        default=None, description="The fault to end (action END)."
    )


@strawberry.input(description="Replay every replayable dead letter (operator only).")
class DeadLettersReplayInput:
    idempotency_key: str = strawberry.field(description=IDEMPOTENCY_HELP)
