"""Money as frontends know it from Shopify's `MoneyV2` and Saleor's `Money`: a decimal
amount with its currency code, never a bare integer of cents.

The read model keeps whole cents (integers add up exactly); this is the one place a
cents figure becomes API money. The simulated estate trades in one currency, US dollars
(its day 0 is Black Friday in the US), so every amount says USD; a client that formats
by `currencyCode` keeps working the day an estate trades in more than one.
"""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

import strawberry


@strawberry.enum(description="An ISO 4217 currency code.")
class CurrencyCode(Enum):
    USD = strawberry.enum_value("USD", description="United States dollars.")


#: the currency every amount in the estate is in
ESTATE_CURRENCY = CurrencyCode.USD


@strawberry.federation.type(
    shareable=True,
    description=(
        "An amount of money in one currency. `amount` is a decimal string with two places "
        '("12.50"), exact, never a float.'
    ),
)
class Money:
    amount: Decimal = strawberry.field(description="The amount, in the currency's units.")
    currency_code: CurrencyCode = strawberry.field(description="The amount's currency.")

    @classmethod
    def of_cents(cls, cents: int) -> Money:
        """A read-model figure in cents as money in the estate's currency."""
        return cls(amount=Decimal(cents).scaleb(-2), currency_code=ESTATE_CURRENCY)
