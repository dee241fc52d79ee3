"""A body the contract accepts is either refused at once, with an answer the contract
documents for it (a 4xx: the bad request, an unknown order, a conflict), or accepted
and then served: nothing in the estate raises on it, then, hours later in a process it
started, or at a later call.

Why in process and over simulated hours: the pickup request for store '' was accepted
(202) and its pick, a lognormal wait later, raised KeyError and stopped the twin (commit
7c89652). Over HTTP, whether the pick came before the test module ended depended on the
machine's load; here the estate's clock is run past every wait, whatever the machine.
The bodies come from the contract itself (hostile_bodies.py), so a new operation or
topic is covered by being added to the contract.
"""

from __future__ import annotations

from typing import Any

import pytest
from hostile_bodies import every_endpoint, hostile_bodies
from hostile_estate import DAYS, Estate

from simulators.contract import CHANNELS, SOURCES, SYSTEMS
from simulators.credentials import AUTH_TOKEN

#: between one request and the next: its answer is back (and the day's customers, who
#: buy for its first two hours, are still buying when the hostile body comes)
GAP_S = 300.0
#: long enough for a pick, a shipment, a return's transit and its inspection
SETTLE_S = 6 * 3600.0
#: long after every deferred step a request can start (a pick, a transit, an
#: inspection, a settlement's payout, an ERP import batch)
AFTERWARDS_S = 24 * 3600.0
#: (system, operation) -> (its field naming what another operation made, that
#: operation, and the field of its answer, else of its request, that holds the name)
LINKS = {
    ("payment", "capture"): ("authorization", "authorize", "id"),
    ("payment", "refund"): ("authorization", "authorize", "id"),
    ("payment", "void"): ("authorization", "authorize", "id"),
    ("erp", "cancel_sales_order"): ("SalesOrder", "create_sales_order", "DocumentNo"),
    ("erp", "post_delivery_invoice"): ("SalesOrder", "create_sales_order", "DocumentNo"),
    ("erp", "find_document"): ("DocRef", "create_sales_order", "DocRef"),
    ("wms", "cancel_release"): ("orderRef", "release_order", "orderRef"),
    ("pos", "cancel_release"): ("orderRef", "pickup_request", "order_ref"),
}


def _examples(kind: str, name: str) -> dict[str, dict[str, Any]]:
    """Every example request of system or channel `name`, by operation or topic."""
    if kind == "systems":
        return {
            operation: dict(contract.example)
            for operation, contract in SYSTEMS[name].operations.items()
            if operation != AUTH_TOKEN  # the quiet day guards no backend
        }
    return {topic: dict(contract.example) for topic, contract in CHANNELS[name].topics.items()}


def _send(
    estate: Estate, kind: str, name: str, endpoint: str, body: dict[str, Any]
) -> tuple[list[str], dict[str, Any]]:
    """Send one request or publish and give its answer time to come back; what went
    wrong with it (none to check for a publish: the face has answered 202), and the
    answer's body."""
    if kind == "channels":
        estate.publish(name, endpoint, body)
        estate.run_for(GAP_S)
        return [], {}
    answers = estate.call(name, endpoint, body)
    estate.run_for(GAP_S)
    if len(answers) != 1:
        return [f"{endpoint} answered {len(answers)} times"], {}
    status, answer = answers[0]
    return [f"{endpoint} answered {status}: {answer}"] if status >= 500 else [], answer


def _linked(
    name: str, endpoint: str, body: dict[str, Any], made: dict[str, tuple[dict[str, Any], Any]]
) -> dict[str, Any]:
    """`body`, naming what the examples sent before it made (the authorisation the
    gateway numbered, the sales order the ERP did), unless that field is the one
    made hostile: the examples name others, which a fresh estate does not have."""
    link = LINKS.get((name, endpoint))
    if link is None or link[1] not in made:
        return body
    field, source, key = link
    if body.get(field) != SYSTEMS[name].operations[endpoint].example.get(field):
        return body
    sent, answer = made[source]
    made_id = answer.get(key, sent.get(key)) if isinstance(answer, dict) else sent.get(key)
    return {**body, field: made_id} if isinstance(made_id, str) else body


def _served(estate: Estate, kind: str, name: str, endpoint: str, body: dict[str, Any]) -> list[str]:
    """What went wrong with one body: an exception now or later, a server error (to
    the body, or to a later example request), an answer or message the contract does
    not document. The other endpoints' examples go first, so that the order,
    authorisation or release the body names exists."""
    examples = _examples(kind, name)
    found: list[str] = []
    try:
        estate.run_for(60.0)
        made = {
            other: (example, _send(estate, kind, name, other, example)[1])
            for other, example in examples.items()
            if other != endpoint
        }
        found += _send(estate, kind, name, endpoint, _linked(name, endpoint, body, made))[0]
        estate.run_for(AFTERWARDS_S)
        for other, example in examples.items():  # and the calls that come later
            later = _send(estate, kind, name, other, example)[0]
            found += [f"later: {problem}" for problem in later]
        estate.run_for(SETTLE_S)
    except Exception as exc:  # the finding itself: reported, with the body
        found.append(f"raised {type(exc).__name__}: {exc}")
    return found + estate.problems + estate.messages_problems()


@pytest.mark.parametrize(("kind", "name", "endpoint"), every_endpoint())
def test_every_body_the_contract_accepts_is_refused_at_once_or_served(
    kind: str, name: str, endpoint: str
) -> None:
    failures, served = [], 0
    for what, body in hostile_bodies(kind, name, endpoint):
        for day in DAYS:
            estate = Estate(day)
            if estate.serves(kind, name):
                served += 1
                for problem in _served(estate, kind, name, endpoint, body):
                    failures.append(f"{what} ({day}): {problem}")
    assert served, f"no day serves {name}"
    assert failures == [], "\n".join(failures)


def test_the_estate_reports_a_float_where_the_contract_says_integer() -> None:
    """The negative control of the checks `_served` relies on beyond the contract's
    validators: JSON Schema passes `quantity: 1.0` as an integer, and JSON's dumps
    writes an infinite total as `Infinity`."""
    example = dict(SOURCES["marketplace"].messages["ORDER_PLACED"].example)
    line = {**example["items"][0], "quantity": 1.0, "taxCents": 599}
    estate = Estate(next(iter(DAYS)))
    estate.hub.messages[:] = [("marketplace", example)]
    assert estate.messages_problems() == []
    estate.hub.messages[:] = [("marketplace", {**example, "items": [line]})]
    assert estate.messages_problems() == [
        "message from marketplace: items.0.quantity: 1.0 where the contract says integer"
    ]
    estate.hub.messages[:] = [("marketplace", {**example, "createdAt": float("inf")})]
    assert estate.messages_problems()[0].startswith("message from marketplace: not JSON")
