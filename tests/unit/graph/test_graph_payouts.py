"""Payouts' vocabulary and their rows: the API's enums are the read model's and the
hub's value for value, and a payout becomes its rows with the state each kind of hub
can show (the built-in hub's own; an external hub's from the ERP's booking alone)."""

from __future__ import annotations

from graph.types.payouts import PayoutLineState, PayoutLineType, PayoutState
from hub.adapters.read_model.payout_records import PayoutLineState as ModelLineState
from hub.adapters.read_model.payout_records import PayoutState as ModelPayoutState
from hub.adapters.read_model.payout_records import payout_snapshot
from hub.messages import PayoutLineIn
from hub.model.settlement import Payout, PayoutLine, PayoutLineKind, PayoutStatus


def test_the_api_states_are_the_read_models_value_for_value() -> None:
    assert [(s.name, s.value) for s in PayoutState] == [(s.name, s.value) for s in ModelPayoutState]
    assert [(s.name, s.value) for s in PayoutLineState] == [
        (s.name, s.value) for s in ModelLineState
    ]
    assert {s.value for s in PayoutStatus} <= {s.value for s in ModelPayoutState}
    assert [s.name for s in PayoutLineType][:-1] == [k.name for k in PayoutLineKind]
    assert PayoutLineType.from_domain("ADJUSTMENT") is PayoutLineType.OTHER


def _payout() -> Payout:
    """STL-0009: an order paid 20 short of 100 (matched), its fee, and a refund the hub
    has not matched yet."""
    return Payout(
        "STL-0009",
        paid_at=100.0,
        received_at=130.0,
        deposit_cents=80 - 15 - 30,
        lines=[
            PayoutLine(PayoutLineIn("L1", "ORDER", "MP-1", "", 80), applied_cents=100),
            PayoutLine(PayoutLineIn("L2", "FEE", "MP-1", "", -15), applied_cents=-15),
            PayoutLine(PayoutLineIn("L3", "REFUND", "MP-2", "MPR-MP-2", -30)),
        ],
    )


def test_the_built_in_hubs_payout_shows_its_own_state_and_claims() -> None:
    snapshot = payout_snapshot(_payout(), "marketplace", 200.0, hub_known=True)
    record = snapshot.payout
    assert (record.state, record.unmatched_count, record.claims_cents) == ("matching", 1, 20)
    assert (record.fees_cents, record.refunds_cents, record.chargebacks_cents) == (15, 30, 0)
    assert [(line.state, line.claim_cents) for line in snapshot.lines] == [
        ("matched", 20),
        ("matched", 0),
        ("unmatched", 0),
    ]


def test_an_external_hubs_payout_is_reported_until_the_erp_books_it() -> None:
    payout = _payout()
    shown = payout_snapshot(payout, "marketplace", 200.0, hub_known=False)
    assert shown.payout.state == "reported"
    assert {line.state for line in shown.lines} == {"reported"}
    payout.status, payout.booked_at, payout.erp_document_no = PayoutStatus.BOOKED, 150.0, "P1"
    booked = payout_snapshot(payout, "marketplace", 200.0, hub_known=False)
    assert (booked.payout.state, booked.payout.erp_document_no) == ("booked", "P1")
    assert {line.state for line in booked.lines} == {"booked"}
