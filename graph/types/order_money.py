"""An order's and an order line's money, in Shopify's names (`subtotalPrice`,
`totalTax`, `discountedUnitPrice`, ...), beside the older cents fields.

Nothing is computed here that the records do not say: a line's tax, the unit price
charged and the list price it was cut from (when a promotion or a price cut set it) are
what the channel sent and the hub kept. A line charged at list price keeps no list
price of its own: the price charged is it. The list price is the line's, not today's
catalogue's, so a list price changed later does not turn into a discount.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import strawberry

from graph.context import GraphInfo
from graph.types.money import Money
from hub.adapters.read_model.records import OrderLineRecord

LINE_DISCOUNT_HELP = (
    "List price less the unit price charged, times the quantity: what the customer was "
    "let off (zero at list price)."
)


@strawberry.type
class OrderLineMoney:
    """A line's money fields, mixed into `OrderLineFields` (which has the data)."""

    if TYPE_CHECKING:
        sku_id: str
        quantity: int
        unit_price_cents: int
        tax_cents: int
        line_list_price_cents: int

    def list_price_cents(self) -> int:
        """The list price the unit price was cut from; the unit price at list price."""
        return line_list_price(self.line_list_price_cents, self.unit_price_cents)

    @strawberry.field(
        description="The SKU's list price when the line was sold, before any discount, per unit."
    )
    def original_unit_price(self) -> Money:
        return Money.of_cents(self.list_price_cents())

    @strawberry.field(description="The unit price the customer was charged, before tax.")
    def discounted_unit_price(self) -> Money:
        return Money.of_cents(self.unit_price_cents)

    @strawberry.field(description="The list price times the quantity, before tax.")
    def original_total(self) -> Money:
        return Money.of_cents(self.list_price_cents() * self.quantity)

    @strawberry.field(description="The unit price charged times the quantity, before tax.")
    def discounted_total(self) -> Money:
        return Money.of_cents(self.unit_price_cents * self.quantity)

    @strawberry.field(description=LINE_DISCOUNT_HELP)
    def total_discount(self) -> Money:
        return Money.of_cents(
            line_discount_cents(self.list_price_cents(), self.quantity, self.unit_price_cents)
        )

    @strawberry.field(description="The tax charged on the whole line.")
    def total_tax(self) -> Money:
        return Money.of_cents(self.tax_cents)


def line_list_price(kept_cents: int, charged_cents: int) -> int:
    """A line's list price: the one it kept, or (0 kept: sold at list) the price charged."""
    return kept_cents or charged_cents


def line_discount_cents(list_price_cents: int, quantity: int, charged_cents: int) -> int:
    return (list_price_cents - charged_cents) * quantity


@strawberry.type
class OrderMoney:
    """An order's money fields, mixed into `OrderFields` (which has the data): totals
    over its lines (loaded through the request's DataLoaders) and its payments."""

    if TYPE_CHECKING:
        legacy_resource_id: str
        total_cents: int
        captured_cents: int

    async def _lines(self, info: GraphInfo) -> list[OrderLineRecord]:
        return await info.context.loaders.order_lines.load(self.legacy_resource_id)

    @strawberry.field(
        description=(
            "The lines' discounted totals: what the goods cost after discounts, before tax "
            "(and before any shipping, which the estate does not charge)."
        )
    )
    async def subtotal_price(self, info: GraphInfo) -> Money:
        lines = await self._lines(info)
        return Money.of_cents(sum(line.unit_price_cents * line.quantity for line in lines))

    @strawberry.field(description="The tax charged on every line.")
    async def total_tax(self, info: GraphInfo) -> Money:
        return Money.of_cents(sum(line.tax_cents for line in await self._lines(info)))

    @strawberry.field(
        description=(
            "The lines' discounts: list price less the price charged, times the quantity "
            "(zero when every line sold at list price)."
        )
    )
    async def total_discounts(self, info: GraphInfo) -> Money:
        return Money.of_cents(
            sum(
                line_discount_cents(
                    line_list_price(line.list_price_cents, line.unit_price_cents),
                    line.quantity,
                    line.unit_price_cents,
                )
                for line in await self._lines(info)
            )
        )

    @strawberry.field(description="What the order costs: `subtotalPrice` plus `totalTax`.")
    def total_price(self) -> Money:
        return Money.of_cents(self.total_cents)

    @strawberry.field(
        description="What the payment gateway captured (charged the card) for the order."
    )
    def total_received(self) -> Money:
        return Money.of_cents(self.captured_cents)

    @strawberry.field(description="What the payment gateway paid back for the order's returns.")
    async def total_refunded(self, info: GraphInfo) -> Money:
        payments = await info.context.loaders.payments.load(self.legacy_resource_id)
        return Money.of_cents(sum(payment.refunded_cents for payment in payments))
