"""Basket-level promotions: a percentage off every line of a basket worth at least a
threshold ("10% off orders of $150 or more"), in some online channels, for a time.

One module for the rule both sides apply: the storefront and the marketplace at
checkout, from the basket promotions their price book holds, and the pricing source's
truth of what a basket should have been charged. A basket's worth is its lines at the
prices charged before the basket discount (SKU promotions included); when several
apply, the deepest wins, as with SKU promotions. The tills take none: basket
promotions here are an online mechanism.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from simulators.price_channels import ONLINE, PriceChannel

__all__ = ["ONLINE", "BasketPromotion", "BasketTerms", "deepest", "discounted", "promotion_name"]


@dataclass(frozen=True, slots=True)
class BasketPromotion:
    """`percent_off` off every line of a basket worth `min_basket_cents` or more, in
    `channels`, from `start_s` until `end_s`."""

    name: str
    start_s: float
    end_s: float
    min_basket_cents: int
    percent_off: float
    channels: tuple[PriceChannel, ...] = ONLINE

    def live(self, channel: PriceChannel, t: float) -> bool:
        return channel in self.channels and self.start_s <= t < self.end_s


@dataclass(frozen=True, slots=True)
class BasketTerms:
    """A basket promotion as a price book holds it, or as a push carries it."""

    name: str
    min_basket_cents: int
    percent_off: float


def discounted(price_cents: int, percent_off: float) -> int:
    """A unit price less `percent_off`, whole cents, at least one cent (the rounding
    SKU promotions use)."""
    return max(1, round(price_cents * (100.0 - percent_off) / 100.0))


def deepest(offers: Iterable[BasketTerms], lines: Sequence[tuple[int, int]]) -> BasketTerms | None:
    """The deepest of `offers` a basket of (unit price, qty) lines qualifies for."""
    worth = sum(price * qty for price, qty in lines)
    best: BasketTerms | None = None
    for offer in offers:
        if worth >= offer.min_basket_cents and (
            best is None or offer.percent_off > best.percent_off
        ):
            best = offer
    return best


def promotion_name(sku_promotion: str, basket: str) -> str:
    """The promotion a line records: its SKU promotion, the basket's, or both."""
    return f"{sku_promotion}+{basket}" if sku_promotion else basket
