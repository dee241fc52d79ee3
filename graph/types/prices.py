"""Prices as the hub holds them per channel, and the promotions they name.

The hub keeps the newest price the pricing source set for each SKU in each price
channel (the storefront, the marketplace, the stores' tills) and pushes it to the
channel. What the API shows is that, the hub's view: the price held, the change number
that set it, when the hub heard it and when it last pushed the channel. The hub knows
what it pushed, not what the channel applied, so a pushed price may still be on its way
(a marketplace processes a price feed for minutes; an offline store hears it when it
reconnects) and `stale` only says what the hub has not sent.

`PriceChannel` is the simulators' own vocabulary (simulators/price_channels.py), as
`FaultKind` is, so a scenario's promotion and the API name a channel alike.
"""

from __future__ import annotations

from datetime import datetime
from typing import Self

import strawberry
from strawberry.types.enum import StrawberryEnumDefinition

from graph.types.money import Money
from graph.types.time import at, maybe_at
from hub.adapters.read_model.price_queries import HeldPriceRecord, PromotionRecord
from simulators.price_channels import PriceChannel

__all__ = ["ChannelPrice", "PriceChannel", "PromotionFields"]

strawberry.enum(
    PriceChannel,
    name="PriceChannel",
    description="Where a price is charged: each has its own price book the hub pushes to.",
)

_CHANNEL_HELP = {
    PriceChannel.WEB: "The storefront: ship-to-home and click-and-collect orders alike.",
    PriceChannel.MARKETPLACE: "The marketplace's offers, which apply a price feed with a delay.",
    PriceChannel.STORES: "Every store's tills (an offline store hears its prices on reconnecting).",
}


def _describe(definition: StrawberryEnumDefinition) -> None:
    for value in definition.values:
        value.description = _CHANNEL_HELP[PriceChannel(value.value)]


_describe(PriceChannel.__strawberry_definition__)  # type: ignore[attr-defined]

STALE_HELP = (
    "True while the hub holds a newer change than the last it pushed to the channel "
    "(the channel charges an older price, as far as the hub knows)."
)
STALE_SECONDS_HELP = (
    "How long the held change has waited unpushed: simulated seconds from when the hub "
    "heard it to now; 0 once pushed."
)


@strawberry.type(
    description=(
        "The newest price the hub holds for a SKU in one price channel, and how far its push "
        "got. The hub knows what it pushed, not what the channel applied: a pushed price may "
        "still be on its way (the marketplace processes a feed for minutes)."
    )
)
class ChannelPrice:
    channel: PriceChannel = strawberry.field(description="The channel the price is for.")
    price: Money = strawberry.field(
        description="The price of one unit, before tax, the hub holds for the channel to charge."
    )
    list_price: Money = strawberry.field(description="The list price it was cut from, if cut.")
    discount: Money = strawberry.field(
        description="`listPrice` less `price` per unit: zero at list price."
    )
    promotion: str | None = strawberry.field(
        description="The promotion that sets the price (an open set of names); null at list price."
    )
    version: int = strawberry.field(
        description="The pricing source's change number that set it; a higher one always wins."
    )
    heard_at: datetime = strawberry.field(description="When the hub heard that change.")
    pushed_version: int | None = strawberry.field(
        description=(
            "The change number the hub last pushed to the channel; null if it never pushed "
            "this SKU's price there."
        )
    )
    pushed_at: datetime | None = strawberry.field(
        description=(
            "When the hub last pushed the channel this SKU's price (sent, not necessarily "
            "applied yet); null if never."
        )
    )
    stale: bool = strawberry.field(description=STALE_HELP)
    stale_seconds: float = strawberry.field(description=STALE_SECONDS_HELP)

    @classmethod
    def from_domain(cls, held: HeldPriceRecord) -> Self:
        p = held.price
        return cls(
            channel=PriceChannel(p.channel),
            price=Money.of_cents(p.price_cents),
            list_price=Money.of_cents(p.list_price_cents),
            discount=Money.of_cents(max(0, p.list_price_cents - p.price_cents)),
            promotion=p.promotion or None,
            version=p.version,
            heard_at=at(p.heard_at),
            pushed_version=p.pushed_version if p.pushed_version > 0 else None,
            pushed_at=maybe_at(p.pushed_at),
            stale=p.unpushed,
            stale_seconds=round(held.stale_s, 3),
        )


PROMOTION_HELP = (
    "A promotion as the hub holds it: the held prices (a SKU in a channel) that name it. "
    "The hub's view, not the pricing source's plan: a promotion appears when the hub hears "
    "it and is gone once the hub holds the prices that end it."
)


@strawberry.type
class PromotionFields:
    name: str = strawberry.field(description="The promotion's name, as the pricing source gave it.")
    channels: list[PriceChannel] = strawberry.field(
        description="The channels the hub holds its prices for (only the one asked for, if any)."
    )
    sku_count: int = strawberry.field(description="How many SKUs the hub holds its prices for.")
    price_count: int = strawberry.field(
        description="How many held prices name it: one per SKU and channel."
    )
    unpushed_count: int = strawberry.field(
        description="Of those, how many the hub has not pushed to their channel yet."
    )
    min_percent_off: float = strawberry.field(
        description="The smallest discount off list price among its prices, in percent."
    )
    max_percent_off: float = strawberry.field(
        description="The largest discount off list price among its prices, in percent."
    )
    first_heard_at: datetime = strawberry.field(
        description="When the hub heard the earliest of the changes behind its held prices."
    )
    last_heard_at: datetime = strawberry.field(
        description="When the hub heard the latest of the changes behind its held prices."
    )
    active: bool = strawberry.field(
        description=(
            "True once the hub has pushed at least one of its prices: some channel has been "
            "sent it."
        )
    )
    stale: bool = strawberry.field(
        description="True while some of its prices are not pushed to their channel yet."
    )
    stale_seconds: float = strawberry.field(
        description=(
            "The worst staleness over its prices: the longest an unpushed one has waited "
            "since the hub heard it, in simulated seconds; 0 once every channel was pushed."
        )
    )
    #: the channel the list was filtered to, which its `skus` keep to
    price_channel: strawberry.Private[str | None]

    @classmethod
    def from_domain(cls, record: PromotionRecord, channel: str | None) -> Self:
        order = list(PriceChannel)
        return cls(
            name=record.name,
            channels=sorted((PriceChannel(c) for c in record.channels), key=order.index),
            sku_count=record.sku_count,
            price_count=record.price_count,
            unpushed_count=record.unpushed_count,
            min_percent_off=record.min_percent_off,
            max_percent_off=record.max_percent_off,
            first_heard_at=at(record.first_heard_at),
            last_heard_at=at(record.last_heard_at),
            active=record.unpushed_count < record.price_count,
            stale=record.unpushed_count > 0,
            stale_seconds=round(record.stale_s, 3),
            price_channel=channel,
        )
