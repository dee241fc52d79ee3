"""The hub's payment and refund states: enums whose values are the words the read model,
the reports and the API have always carried, and which the API converts in one place."""

from __future__ import annotations

import pytest

from graph.types.common import PaymentState as ApiPaymentState
from graph.types.returns import ReturnFields
from hub.adapters.read_model.projection import order_snapshot, return_snapshot
from hub.adapters.read_model.records import PaymentRecord
from hub.model.order import Order, OrderLine
from hub.model.payment import PaymentState, RefundState
from hub.model.returns import Return, ReturnLine


def test_the_states_keep_the_words_stored_before_they_were_enums() -> None:
    assert [state.value for state in PaymentState] == [
        "none",
        "authorised",
        "captured",
        "voided",
        "declined",
        "failed",
        "on_account",
    ]
    assert [state.value for state in RefundState] == [
        "none",
        "awaiting_capture",
        "pending",
        "refunded",
        "failed",
        "at_till",
        "not_charged",
    ]
    assert PaymentState.CAPTURED == "captured"  # code comparing to the word still works


def _us(name: str) -> str:
    """A hub member's name as the API spells it (the hub keeps its British words)."""
    return name.replace("AUTHORISED", "AUTHORIZED")


def _current(enum: type[ApiPaymentState]) -> list[ApiPaymentState]:
    """The API members a client is shown: not the deprecated spellings."""
    definition = enum.__strawberry_definition__  # type: ignore[attr-defined]
    deprecated = {v.name for v in definition.values if v.deprecation_reason}
    return [member for member in enum if member.name not in deprecated]


@pytest.mark.parametrize("state", list(PaymentState))
def test_every_hub_payment_state_converts_to_the_api_member_of_the_same_name(
    state: PaymentState,
) -> None:
    order = Order("W-1", "web", "W-1", "C-1", 0.0, 0.0, [OrderLine(1, "SKU-A", 1, 1000, 200)])
    order.payment_state = state
    order.payment_auth_id = "auth_1"
    snapshot = order_snapshot(order, 0, 0.0)

    assert snapshot.order.payment_state == state.value
    assert type(snapshot.order.payment_state) is str, "the read model holds plain words"
    converted = ApiPaymentState.from_domain(snapshot.order.payment_state)
    assert converted.name == _us(state.name), "the API names the state in US English"
    assert converted in _current(ApiPaymentState), "never the deprecated spelling"
    assert converted.value == state.value
    payment = PaymentRecord(*snapshot.payments[0])  # the row, as the store reads it back
    assert ApiPaymentState.from_domain(payment.state) is converted


def test_the_api_has_no_payment_state_the_hub_lacks() -> None:
    current = _current(ApiPaymentState)
    assert [state.name for state in current] == [_us(state.name) for state in PaymentState]
    assert {state.value for state in ApiPaymentState} == {state.value for state in PaymentState}


def test_a_word_that_is_no_hub_payment_state_is_refused() -> None:
    with pytest.raises(ValueError):
        ApiPaymentState.from_domain("settled")


@pytest.mark.parametrize("state", list(RefundState))
def test_every_hub_refund_state_reaches_the_api_as_its_word(state: RefundState) -> None:
    ret = Return("RT-1", "W-1", "web", 0.0, [ReturnLine("SKU-A", 1, 1000, 200)])
    ret.refund_state = state
    record = return_snapshot(ret, 0.0).ret

    assert type(record.refund_state) is str
    assert ReturnFields.from_domain(record).refund_state == state.value
