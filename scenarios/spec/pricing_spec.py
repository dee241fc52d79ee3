"""The pricing source's day as a scenario writes it: list-price changes, SKU-level
promotions and basket-level promotions (`[pricing]`), kept apart from scenario.py so
each module stays one screenful; scenario.py re-exports them with the rest of the
spec."""

from __future__ import annotations

from dataclasses import dataclass

from simulators.price_channels import PriceChannel

__all__ = ["BasketPromotionSpec", "PricingSpec", "PromotionSpec"]


@dataclass(frozen=True, slots=True)
class PromotionSpec:
    """A time-boxed price cut the pricing source publishes: `off_pct` off the
    `hot_skus` most popular SKUs, in `channels` ("web" covers click-and-collect)."""

    name: str
    start_s: float
    end_s: float
    hot_skus: int
    off_pct: float
    channels: tuple[PriceChannel, ...] = tuple(PriceChannel)


@dataclass(frozen=True, slots=True)
class BasketPromotionSpec:
    """A time-boxed basket promotion: `off_pct` off every line of a basket worth
    `min_basket` (currency units) or more at the channel's prices, in online `channels`
    only (`web` covers click-and-collect; the tills take none)."""

    name: str
    start_s: float
    end_s: float
    min_basket: float
    off_pct: float
    channels: tuple[PriceChannel, ...] = (PriceChannel.WEB, PriceChannel.MARKETPLACE)


@dataclass(frozen=True, slots=True)
class PricingSpec:
    """The pricing source's day: list-price changes at random through it, and the
    planned promotions. The default changes nothing: every SKU sells at its list price."""

    #: list-price changes per hour, each one random SKU in every channel
    changes_per_hour: float = 0.0
    #: a list-price change moves the price by up to this percent, up or down
    change_max_pct: float = 10.0
    promotions: tuple[PromotionSpec, ...] = ()
    basket_promotions: tuple[BasketPromotionSpec, ...] = ()
