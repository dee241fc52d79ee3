"""Every answer the contract documents is one a simulator gives, with the body the
contract says, and every example request is answered as documented.

The recipes drive standalone simulators (backend_bench.py) into each refusal and each
mode; the last test holds the answers reached to the documented set, so an answer
documented but never given (or given but not documented) fails here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from unittest.mock import ANY

from backend_bench import Bench

from simulators.contract import SYSTEMS
from simulators.contract.face import REFUSALS
from simulators.credentials import AUTH_TOKEN, GUARDABLE

#: documented because the HTTP face refuses a body that is not a JSON object with it,
#: though the simulator itself cannot fail to read this request
ONLY_FROM_THE_FACE = {("erp", "stock_snapshot", 400)}

_ERP_WRITES = (
    "create_sales_order",
    "cancel_sales_order",
    "post_delivery_invoice",
    "post_goods_movement",
    "post_store_sales",
    "post_credit_memo",
    "post_settlement",
    "post_customer_payment",
)


def _example(system: str, operation: str) -> dict[str, object]:
    return dict(SYSTEMS[system].operations[operation].example)


def examples(bench: Bench) -> None:
    for system, contract in SYSTEMS.items():
        for operation in contract.operations:
            bench.valid_call(system, operation, _example(system, operation))


def _api(system: str) -> list[str]:
    """The operations of the backend's own API: not its token endpoint, an identity
    provider of its own that the API's outages and limits leave alone."""
    return [operation for operation in SYSTEMS[system].operations if operation != AUTH_TOKEN]


def down(bench: Bench) -> None:
    for system in ("erp", "wms", "payment", "marketplace", "tax", "fraud"):
        bench.backend(system).down = True
        for operation in _api(system):
            assert bench.valid_call(system, operation, _example(system, operation))[0] == 503


def unreadable(bench: Bench) -> None:
    """Bodies the face would refuse, sent past it: the simulators' own 400."""
    for system, contract in SYSTEMS.items():
        for operation in contract.operations:
            if (system, operation) not in {
                ("erp", "stock_snapshot"),
                ("marketplace", "acknowledge"),
            }:
                assert bench.call(system, operation, {})[0] == 400, (system, operation)


def rate_limited() -> Bench:
    bench = Bench(rate_limit_per_s=0.001)
    bench.marketplace_order("MP-0000001")
    for system in ("erp", "marketplace", "tax"):
        for operation in _api(system):
            body = _example(system, operation)
            bench.send(system, operation, body)
            assert bench.send(system, operation, body) == [(429, ANY)]
            bench.env.run(until=bench.env.now + 60.0)
    return bench


def erp_busy() -> Bench:
    bench = Bench(erp_queue_limit=0)
    for operation in _api("erp"):
        body = _example("erp", operation)
        bench.send("erp", operation, body)
        assert bench.send("erp", operation, body) == [(429, ANY)]
        bench.env.run(until=bench.env.now + 60.0)
    return bench


def erp_books(bench: Bench) -> None:
    assert bench.valid_call("erp", "find_document", {"DocRef": "nothing"})[0] == 404
    unknown = {**_example("erp", "post_delivery_invoice"), "SalesOrder": "SO99999999"}
    assert bench.valid_call("erp", "post_delivery_invoice", unknown)[0] == 404
    order = _example("erp", "create_sales_order")
    number = bench.valid_call("erp", "create_sales_order", order)[1]["DocumentNo"]
    assert bench.valid_call("erp", "find_document", {"DocRef": order["DocRef"]})[0] == 200
    invoice = {**_example("erp", "post_delivery_invoice"), "SalesOrder": number}
    assert bench.valid_call("erp", "post_delivery_invoice", invoice)[0] == 201
    cancel = {"SalesOrder": number, "DocRef": "CXL-W-0000001"}
    assert bench.valid_call("erp", "cancel_sales_order", cancel)[0] == 409
    other = {**order, "ExternalRef": "W-0000002", "DocRef": "W-0000002"}
    second = bench.valid_call("erp", "create_sales_order", other)[1]["DocumentNo"]
    cancel = {"SalesOrder": second, "DocRef": "CXL-W-0000002"}
    assert bench.valid_call("erp", "cancel_sales_order", cancel)[0] == 200


def erp_idempotent() -> Bench:
    bench = Bench(idempotent_refs=True)
    number = bench.valid_call("erp", "create_sales_order", _example("erp", "create_sales_order"))
    for operation in _ERP_WRITES:
        body = _example("erp", operation)
        if "SalesOrder" in body:
            body["SalesOrder"] = number[1]["DocumentNo"]
        bench.valid_call("erp", operation, body)
        assert bench.valid_call("erp", operation, body)[0] == 200, operation
    return bench


def erp_legacy() -> Bench:
    bench = Bench(erp_mode="legacy_batch")
    for operation in _ERP_WRITES:
        assert bench.valid_call("erp", operation, _example("erp", operation))[0] == 202
    return bench


def wms_floor(bench: Bench) -> None:
    release = _example("wms", "release_order")
    bench.valid_call("wms", "release_order", release)
    assert bench.valid_call("wms", "release_order", release)[0] == 409
    assert bench.valid_call("wms", "cancel_release", {"orderRef": release["orderRef"]})[0] == 409
    queued = {**release, "orderRef": "W-0000009"}
    bench.valid_call("wms", "release_order", queued, settle=False)
    assert bench.valid_call("wms", "cancel_release", {"orderRef": "W-0000009"})[0] == 200
    assert bench.valid_call("wms", "cancel_release", {"orderRef": "W-0000009"})[0] == 200


def store_floor(bench: Bench) -> None:
    pickup = _example("pos", "pickup_request")
    bench.valid_call("pos", "pickup_request", pickup)
    assert bench.valid_call("pos", "pickup_request", pickup)[0] == 409
    assert bench.pos.collect(str(pickup["order_ref"]))
    assert bench.valid_call("pos", "cancel_release", {"orderRef": pickup["order_ref"]})[0] == 409
    other = {**pickup, "order_ref": "CC-0000009"}
    bench.valid_call("pos", "pickup_request", other)
    assert bench.valid_call("pos", "cancel_release", {"orderRef": "CC-0000009"})[0] == 200


def money(bench: Bench) -> None:
    def auth(reference: str, amount: int) -> str:
        body = {"reference": reference, "amount": amount, "idempotency_key": None}
        return str(bench.valid_call("payment", "authorize", body, settle=False)[1]["id"])

    def move(operation: str, **fields: object) -> int:
        body = {"idempotency_key": None, **fields}
        return bench.valid_call("payment", operation, body, settle=False)[0]

    for operation in ("capture", "refund", "void"):
        body = {**_example("payment", operation), "authorization": "auth_nothing"}
        assert bench.valid_call("payment", operation, body, settle=False)[0] == 404
    first = auth("W-1", 1000)
    assert move("capture", authorization=first, amount=2000) == 402
    assert move("refund", authorization=first, amount=10, reference="RMA-W-1") == 402
    assert move("capture", authorization=first, amount=1000) == 200
    assert move("refund", authorization=first, amount=1000, reference="RMA-W-1") == 200
    assert move("void", authorization=first) == 409
    second = auth("W-2", 1000)
    assert move("void", authorization=second) == 200
    assert move("capture", authorization=second, amount=1000) == 409
    bench.env.run(until=bench.env.now + 7200.0)
    assert move("capture", authorization=auth("W-3", 1000), amount=1000) == 200
    late = auth("W-4", 1000)
    bench.env.run(until=bench.env.now + 7200.0)
    assert move("capture", authorization=late, amount=1000) == 402  # expired


def declined() -> Bench:
    bench = Bench(decline_rate=1.0)
    body = _example("payment", "authorize")
    assert bench.valid_call("payment", "authorize", body)[0] == 402
    return bench


def acknowledged(bench: Bench) -> None:
    bench.marketplace_order("MP-0000001")
    assert bench.valid_call("marketplace", "acknowledge", {"mpOrderId": "MP-0000001"})[0] == 200


def settled(bench: Bench) -> None:
    """The settling marketplace charges once what shipped, refunds no more than it
    charged, and pays out with a report (a message the bench validates)."""

    def money(operation: str, **fields: object) -> int:
        return bench.valid_call("marketplace", operation, fields, settle=False)[0]

    bench.marketplace_order("MP-0000001")  # 999 and 99 of tax
    assert money("confirm_shipment", mpOrderId="MP-0009999", amountCents=1) == 404
    assert money("confirm_shipment", mpOrderId="MP-0000001", amountCents=99999) == 422
    refund = {"mpOrderId": "MP-0000001", "returnId": "MPR-MP-0000001"}
    assert money("refund_return", **refund, amountCents=100) == 409
    assert money("confirm_shipment", mpOrderId="MP-0000001", amountCents=1098) == 200
    assert money("refund_return", **refund, amountCents=5000) == 402
    assert money("refund_return", **refund, amountCents=500) == 200
    bench.env.run(until=bench.env.now + 2 * 3600.0)
    payout = bench.marketplace.settlement.payouts[0]  # type: ignore[union-attr]
    assert payout.reported_at >= 0
    assert {line.kind.value for line in payout.lines} >= {"ORDER", "FEE", "REFUND"}


def taxed(bench: Bench) -> None:
    """A reversal of a transaction never committed is refused; a code committed or
    reversed again gets its first answer and files nothing twice."""
    reversal = _example("tax", "reverse")
    assert bench.valid_call("tax", "reverse", reversal, settle=False)[0] == 404
    commit = _example("tax", "commit")
    first = bench.valid_call("tax", "commit", commit, settle=False)
    again = bench.valid_call("tax", "commit", {**commit, "lines": []}, settle=False)
    assert first == again
    assert bench.valid_call("tax", "reverse", reversal, settle=False)[0] == 200
    assert bench.valid_call("tax", "reverse", reversal, settle=False)[0] == 200
    assert (
        bench.tax.liability_cents()
        == first[1]["tax_cents"] - bench.tax.reversals[reversal["code"]].tax_cents
    )


def credentials(bench: Bench) -> None:
    """A call without a live token is refused 401; the token endpoint refuses a client
    it does not know, and answers 503 through an `auth_outage`."""
    bench.marketplace_order("MP-0000001")
    for system in GUARDABLE:
        authority = bench.authorities[system]
        for token in (None, "forged"):
            bench.tokens[system] = token
            for operation in _api(system):
                assert bench.valid_call(system, operation, _example(system, operation))[0] == 401
        stranger = {**_example(system, AUTH_TOKEN), "client_id": "eve"}
        assert bench.valid_call(system, AUTH_TOKEN, stranger)[0] == 401
        authority.refusing = True
        assert bench.valid_call(system, AUTH_TOKEN, _example(system, AUTH_TOKEN))[0] == 503


RECIPES: dict[str, Callable[[Bench], None]] = {
    "examples": examples,
    "down": down,
    "unreadable": unreadable,
    "erp_books": erp_books,
    "wms_floor": wms_floor,
    "store_floor": store_floor,
    "money": money,
    "acknowledged": acknowledged,
    "settled": settled,
    "taxed": taxed,
    "credentials": credentials,
}


def unguarded() -> Bench:
    """A run that guards nothing: the backends have no token endpoint."""
    bench = Bench(guarded=False)
    for system in GUARDABLE:
        assert bench.valid_call(system, AUTH_TOKEN, _example(system, AUTH_TOKEN))[0] == 404
    return bench


BENCHES: dict[str, Callable[[], Bench]] = {
    "rate_limited": rate_limited,
    "erp_busy": erp_busy,
    "erp_idempotent": erp_idempotent,
    "erp_legacy": erp_legacy,
    "declined": declined,
    "unguarded": unguarded,
}


@cache
def driven() -> tuple[Bench, ...]:
    benches = []
    for recipe in RECIPES.values():
        bench = Bench()
        recipe(bench)
        benches.append(bench)
    benches += [make() for make in BENCHES.values()]
    for bench in benches:
        bench.env.run(until=bench.env.now + 3600.0)  # the legacy ERP's import run
    return tuple(benches)


def test_every_answer_and_message_the_benches_got_matches_the_contract() -> None:
    problems = [problem for bench in driven() for problem in bench.problems]
    assert problems == []


def test_every_documented_answer_is_one_a_simulator_gives() -> None:
    reached = {answer for bench in driven() for answer in bench.answered}
    documented = {
        (system, operation, status)
        for system, contract in SYSTEMS.items()
        for operation in contract.operations
        for status in contract.answers(operation)
    }
    assert sorted(documented - reached - ONLY_FROM_THE_FACE) == []
    assert sorted(reached - documented) == []


def test_the_face_refuses_with_statuses_of_its_own_kind() -> None:
    assert [refusal.status for refusal in REFUSALS] == [400, 404, 422]
