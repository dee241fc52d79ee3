"""Money leaves the API as an exact two-place decimal with its currency, never cents."""

from __future__ import annotations

from decimal import Decimal

import pytest

from graph.types.money import CurrencyCode, Money


@pytest.mark.parametrize(
    ("cents", "amount"),
    [(0, "0.00"), (5, "0.05"), (1250, "12.50"), (-1999, "-19.99"), (123456789, "1234567.89")],
)
def test_cents_become_a_two_place_amount_in_the_estates_currency(cents: int, amount: str) -> None:
    money = Money.of_cents(cents)
    assert str(money.amount) == amount
    assert money.amount == Decimal(cents) / 100
    assert money.currency_code is CurrencyCode.USD
