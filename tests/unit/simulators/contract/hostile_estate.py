"""The estate an external hub meets, in process: a quiet day's backends and channels
behind the gate the HTTP face calls (scenarios/twin/external/gate.py), with nothing
but a SimPy environment driving it, so a test can send one body and run the clock past
every wait it starts.

Why the whole estate and not standalone simulators: what a backend does with a body
hours later reaches the rest of the estate (a shipped parcel to the carrier, a picked
pickup to its customer, a returned parcel to a shelf the stores also count), and a bad
value breaks there, not in the backend. Why the world is drawn once: drawing names
with Faker is nearly all of building an estate, the world is drawn from its own named
stream, and the run never changes it, so each estate gets a copy of the same one.
"""

from __future__ import annotations

import copy
import dataclasses
import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any
from unittest import mock

import simpy
from whole_floats import answer_floats, message_floats

from scenarios.spec.loader import scenario_from_dict
from scenarios.spec.scenario import Scenario
from scenarios.twin import estate as estate_module
from scenarios.twin.demand import start_demand
from scenarios.twin.external.gate import BackendGate
from simulators import wire_form
from simulators.contract import (
    CHANNELS,
    published,
    requested,
    validate_answer,
    validate_message,
)
from simulators.rng import Streams
from simulators.world import CustomerBook, World

_QUIET = {
    "erp": {"lost_response_rate": 0.0},
    "payment": {"lost_response_rate": 0.0},
}
#: quiet days (no faults, no lost answers: a lost answer is a documented 504, not a
#: finding), by name: together they have every backend and channel of the contract, and
#: what a body's work meets besides (a marketplace that settles, a B2B portal). The tax
#: engine rules those two out (the scenario rules say it does not model their tax yet),
#: so they have a day of their own. Left out: drop-ship partners (the contract does not
#: serve them) and access tokens (a guarded backend answers 401 before reading a body).
DAYS = {
    # as tests/e2e/test_contract_schemathesis.py serves it (on a smaller world)
    "every backend": {**_QUIET, "tax": {"enabled": True}, "fraud": {"enabled": True}},
    "settling, B2B": {
        **_QUIET,
        "marketplace": {
            "settlement_interval": "1h",
            "commission_pct": 15.0,
            "settlement_report_delay": "10m",
            "chargeback_rate": 0.2,
        },
        "b2b": {"enabled": True, "accounts": 2, "orders_per_hour": 2.0},
    },
}


@dataclass
class _Hub:
    """The external hub's end of the estate: it takes every message and never calls."""

    url: str = "http://hub.invalid"
    messages: list[tuple[str, dict[str, Any]]] = field(default_factory=list)

    def receive(self, source: str, _message_id: int, payload: dict[str, Any]) -> None:
        self.messages.append((source, payload))

    def close_day(self, at_s: float) -> None:
        """Nothing to tell: the test ends the day by running the clock."""

    def idle(self) -> bool:
        return False

    def gauges(self) -> dict[str, float]:
        return {}

    def report(self) -> dict[str, int]:
        return {}


@cache
def _scenario(day: str) -> Scenario:
    return scenario_from_dict(
        {
            "scenario": {"name": "quiet", "description": day, "duration": "2h"},
            "world": {"skus": 8, "stores": 2, "customers": 5},
            "backends": DAYS[day],
        }
    )


@cache
def _world(day: str) -> World:
    """The day's world, drawn once (copied into each estate)."""
    drawn: list[World] = []
    build = estate_module.build_scenario_world

    def keep(scenario: Scenario, streams: Any) -> World:
        drawn.append(build(scenario, streams))
        return drawn[0]

    with mock.patch.object(estate_module, "build_scenario_world", keep):
        estate_module.build(_scenario(day), simpy.Environment(), external_hub=_Hub())
    return drawn[0]


def _copy(world: World) -> World:
    """A copy of `world` that a run may change without touching the next estate's: its
    tables copied, its lists of frozen records (SKUs, locations) copied around the same
    records, its customer book shared (filled once, when the world is drawn). A compiled
    build cannot deep-copy a frozen record, so the records are never copied."""
    fields: dict[str, Any] = {}
    for field_ in dataclasses.fields(world):
        value = getattr(world, field_.name)
        if isinstance(value, list):
            fields[field_.name] = list(value)
        elif isinstance(value, CustomerBook):
            fields[field_.name] = value
        else:
            fields[field_.name] = copy.deepcopy(value)
    return World(**fields)


@dataclass
class Estate:
    """One quiet day's estate behind its gate, and what it said that the contract
    does not document."""

    day: str
    env: simpy.Environment = field(default_factory=simpy.Environment)
    hub: _Hub = field(default_factory=_Hub)
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        scenario = _scenario(self.day)
        world = _copy(_world(self.day))
        with mock.patch.object(estate_module, "build_scenario_world", lambda *_: world):
            built = estate_module.build(scenario, self.env, external_hub=self.hub).estate
        # the day's customers, whose orders and sales meet what the bodies start (its
        # first marketplace order is the examples' `MP-0000001`); not the runtime's
        # faults or its sampler, which would cost most of the time
        start_demand(self.env, scenario, Streams(scenario.seed), built)
        self.gate = BackendGate(self.env, built.network, built.backends, built.receivers)
        # the hub's opening feeds, as the contract's examples: a channel sells only what
        # a feed told it of, so without them no web or marketplace order is placed, and
        # nothing the examples name (`W-0000001`, `MP-0000001`) exists
        for channel in sorted(self.gate.channels()):
            for topic, contract in CHANNELS[self.gate.contract_name(channel)].topics.items():
                self.publish(channel, topic, dict(contract.example))

    def serves(self, kind: str, name: str) -> bool:
        """Whether this day's estate has system or channel `name` (`kind`: "systems"
        or "channels")."""
        return name in (self.gate.systems() if kind == "systems" else self.gate.channels())

    def call(self, system: str, operation: str, body: dict[str, Any]) -> list[tuple[int, Any]]:
        """Send one request as the HTTP face does; its answer, when it comes, goes into
        the list returned (checked against the contract)."""
        answers: list[tuple[int, Any]] = []

        def answer(status: int, body: dict[str, Any]) -> None:
            answers.append((status, body))
            wire = wire_form.as_wire(body)
            problems = [
                *_not_json(wire),
                *validate_answer(system, operation, status, wire),
                *answer_floats(system, operation, status, wire),
            ]
            self.problems.extend(f"answer {status}: {problem}" for problem in problems)

        kind = self.gate.contract_name(system)
        self.gate.call(system, operation, requested(kind, operation, copy.deepcopy(body)), answer)
        return answers

    def publish(self, channel: str, topic: str, body: dict[str, Any]) -> None:
        """Publish as the HTTP face does (it has answered 202 by then)."""
        self.gate.publish(channel, topic, published(channel, topic, copy.deepcopy(body)))

    def run_for(self, seconds: float) -> None:
        self.env.run(until=self.env.now + seconds)

    def messages_problems(self) -> list[str]:
        """What the systems told the hub that the contract does not document."""
        return [
            f"message from {source}: {problem}"
            for source, payload in self.hub.messages
            for problem in [
                *_not_json(payload),
                *validate_message(source, payload),
                *message_floats(source, payload),
            ]
        ]


def _not_json(body: Any) -> list[str]:
    """Why `body` cannot go out as JSON (RFC 8259 has no Infinity or NaN: the HTTP face
    answers 500 for one, and a hub's parser may refuse a message with one)."""
    try:
        json.dumps(body, allow_nan=False)
    except (TypeError, ValueError) as exc:
        return [f"not JSON: {exc}"]
    return []
