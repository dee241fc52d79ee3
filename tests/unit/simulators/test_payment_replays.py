"""The gateway remembers each idempotency key's first answer compactly (a 200's id
alone); a retry must still get that answer, whatever it was, and move no money."""

from __future__ import annotations

import random
from typing import Any

import simpy

from simulators.payment import PaymentConfig, PaymentGateway


def _ask(gateway: PaymentGateway, operation: str, body: dict[str, Any]) -> tuple[int, Any]:
    got: list[tuple[int, dict[str, Any]]] = []
    gateway.handle(
        operation, body, lambda status, answer, delay_s=0.0: got.append((status, answer))
    )
    return got[0]


def test_every_retry_gets_the_first_answer_and_moves_no_money() -> None:
    gateway = PaymentGateway(
        simpy.Environment(), random.Random(5), PaymentConfig(0.0, 0.0, 0.3, 3600.0)
    )
    asks = [
        ("authorize", {"reference": "W-1", "amount": 500, "idempotency_key": "auth:W-1"}),
        ("capture", {"authorization": "auth_000000001", "amount": 300, "idempotency_key": "c1"}),
        ("capture", {"authorization": "auth_000000001", "amount": 900, "idempotency_key": "c2"}),
        (
            "refund",
            {
                "authorization": "auth_000000001",
                "reference": "W-1",
                "amount": 100,
                "idempotency_key": "r1",
            },
        ),
        ("void", {"authorization": "auth_000000001", "idempotency_key": "v1"}),
        ("capture", {"authorization": "nope", "amount": 1, "idempotency_key": "c3"}),
        ("settle", {"idempotency_key": "s1"}),
    ]
    first = [_ask(gateway, operation, body) for operation, body in asks]
    assert [status for status, _ in first] == [200, 200, 402, 200, 409, 404, 404]
    assert first[0][1] == {"id": "auth_000000001", "status": "authorized"}
    money = (len(gateway.captures), len(gateway.refunds), len(gateway.voids), len(gateway.refusals))
    again = [_ask(gateway, operation, body) for operation, body in asks]
    assert again == first
    assert (
        len(gateway.captures),
        len(gateway.refunds),
        len(gateway.voids),
        len(gateway.refusals),
    ) == money
    # a key is scoped to its operation: a refund reusing a capture's key is a new request
    status, _ = _ask(
        gateway,
        "refund",
        {
            "authorization": "auth_000000001",
            "reference": "W-1",
            "amount": 100,
            "idempotency_key": "c1",
        },
    )
    assert status == 200 and len(gateway.refunds) == 2


def test_a_retry_inside_the_window_replays_and_after_two_windows_is_a_new_charge() -> None:
    env = simpy.Environment()
    gateway = PaymentGateway(
        env, random.Random(5), PaymentConfig(0.0, 0.0, 0.3, 30 * 86400.0, 86400.0)
    )
    authorize = {"reference": "W-1", "amount": 500, "idempotency_key": "auth:W-1"}
    first = _ask(gateway, "authorize", authorize)
    capture = {"authorization": first[1]["id"], "amount": 100, "idempotency_key": "cap:W-1"}
    charged = _ask(gateway, "capture", capture)
    env.run(until=86400.0 + 3600.0)  # a day and an hour later: still inside two windows
    assert _ask(gateway, "capture", capture) == charged
    assert _ask(gateway, "authorize", authorize) == first
    assert len(gateway.captures) == 1 and len(gateway.authorizations) == 1
    env.run(until=2 * 86400.0)  # two windows on: the keys are forgotten, as at Stripe
    again = _ask(gateway, "capture", capture)
    assert again[0] == 200 and again != charged
    assert len(gateway.captures) == 2
    assert _ask(gateway, "authorize", authorize)[1]["id"] != first[1]["id"]
    assert len(gateway.authorizations) == 2


def test_a_remembered_id_is_kept_as_its_number_and_answers_the_same_text() -> None:
    gateway = PaymentGateway(
        simpy.Environment(), random.Random(5), PaymentConfig(0.0, 0.0, 0.3, 3600.0)
    )
    authorise = ("authorize", {"reference": "W-1", "amount": 500, "idempotency_key": "a"})
    void = ("void", {"authorization": "auth_000000001", "idempotency_key": "v"})
    first = [_ask(gateway, operation, body) for operation, body in (authorise, void)]
    assert first == [
        (200, {"id": "auth_000000001", "status": "authorized"}),
        (200, {"id": "auth_000000001"}),
    ]
    # the window holds the number, not a string per key
    assert [gateway._answers[op].get(key) for op, key in (("authorize", "a"), ("void", "v"))] == [
        1,
        1,
    ]
    assert [_ask(gateway, operation, body) for operation, body in (authorise, void)] == first


def test_refusals_leave_memory_once_sealed_and_declined_is_read_from_them() -> None:
    from scenarios.twin.record_spill import RecordSpill
    from simulators.payment import Refusal

    gateway = PaymentGateway(
        simpy.Environment(), random.Random(5), PaymentConfig(1.0, 0.0, 0.3, 3600.0)
    )
    _ask(gateway, "authorize", {"reference": "W-1", "amount": 5, "idempotency_key": "a1"})
    gateway.refusals.seal_into(RecordSpill().store(Refusal))
    assert gateway.declined == {"W-1"}
    # W-2 declined twice (two keys): twice a refusal, once in the set
    for n, reference in enumerate(("W-2", "W-2", "W-3")):
        _ask(gateway, "authorize", {"reference": reference, "amount": 5, "idempotency_key": n})
    assert gateway.refusals._kept == []  # on disk, not in memory
    assert [(refusal.operation, refusal.reference) for refusal in gateway.refusals] == [
        ("authorize", "W-1"),
        ("authorize", "W-2"),
        ("authorize", "W-2"),
        ("authorize", "W-3"),
    ]
    assert gateway.declines == 4 and gateway.declined == {"W-1", "W-2", "W-3"}
