"""A witness that holds everything said across the hub boundary in an in-process run to
the contract: every request the hub sends a backend, every answer a backend gives,
every publish to a channel, every message a system sends the hub.

It wraps the twin's ports from the outside (scenarios/twin/ stays as it is): the
transport's send and publish and the exchange's reply, in subclasses the estate builds
instead, and the estate's senders to the hub. Bodies go through JSON first, as they
would over HTTP, so a body that would not survive the wire is a problem too.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest

from scenarios.spec.loader import load_scenario
from scenarios.twin import estate, sim_ports
from scenarios.twin.runtime import run
from simulators import wire_form
from simulators.contract import (
    SOURCES,
    validate_answer,
    validate_message,
    validate_publish,
    validate_request,
)


def _wire(body: Any) -> Any:
    """The body as the other side of an HTTP link would read it."""
    return json.loads(json.dumps(body))


@dataclass
class Witness:
    problems: list[str] = field(default_factory=list)
    requests: Counter[tuple[str, str]] = field(default_factory=Counter)
    answers: Counter[tuple[str, str, int]] = field(default_factory=Counter)
    publishes: Counter[tuple[str, str]] = field(default_factory=Counter)
    messages: Counter[tuple[str, str]] = field(default_factory=Counter)
    scenario: str = ""

    def note(self, what: str, found: list[str], body: Any) -> None:
        for problem in found[:5]:
            self.problems.append(f"{self.scenario}: {what}: {problem} in {str(body)[:300]}")

    def request(self, system: str, operation: str, body: Any) -> None:
        self.requests[(system, operation)] += 1
        self.note(f"request {system}/{operation}", validate_request(system, operation, body), body)

    def answer(self, system: str, operation: str, status: int, body: Any) -> None:
        self.answers[(system, operation, status)] += 1
        body = wire_form.as_wire(body)  # as the HTTP face sends it
        found = validate_answer(system, operation, status, body)
        self.note(f"answer {status} to {system}/{operation}", found, body)

    def publish(self, channel: str, topic: str, body: Any) -> None:
        self.publishes[(channel, topic)] += 1
        self.note(f"publish {channel}/{topic}", validate_publish(channel, topic, body), body)

    def message(self, source: str, kind: str, payload: Any) -> None:
        self.messages[(source, kind)] += 1
        found = validate_message(source, payload)
        said = payload.get(SOURCES[source].discriminator)
        if said != kind:
            found.append(f"sent as {kind!r} but its body says {said!r}")
        self.note(f"message {source} {kind}", found, payload)


def _senders(witness: Witness, original: Callable[..., Any]) -> Callable[..., Any]:
    def sender_to_hub(network: Any, driver: Any) -> Callable[[str], Any]:
        to_hub = original(network, driver)

        def for_source(source: str) -> Callable[[str, dict[str, Any]], None]:
            send = to_hub(source)

            def witnessed(kind: str, payload: dict[str, Any]) -> None:
                witness.message(source, kind, _wire(payload))
                send(kind, payload)

            return witnessed

        return for_source

    return sender_to_hub


@contextmanager
def witnessing(witness: Witness) -> Iterator[None]:
    """Every boundary crossing of runs started inside goes past `witness`: the estate
    builds a transport of the witness's own, whose attempts are exchanges of its own
    (subclasses, since the twin's ports may be compiled: `make compile`)."""

    class WitnessedExchange(sim_ports._Exchange):
        def reply(self, status: int, answer: dict[str, Any], delay_s: float = 0.0) -> None:
            witness.answer(self.system, self.operation, status, _wire(answer))
            super().reply(status, answer, delay_s)

    class WitnessedTransport(sim_ports.SimTransport):
        def __init__(self, *args: Any) -> None:
            super().__init__(*args)
            self._exchange = WitnessedExchange

        def _send(self, system: str, operation: str, body: Any, *rest: Any) -> None:
            witness.request(system, operation, _wire(body))
            super()._send(system, operation, body, *rest)

        def _publish(self, system: str, topic: str, body: Any) -> None:
            witness.publish(system, topic, _wire(body))
            super()._publish(system, topic, body)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(estate, "SimTransport", WitnessedTransport)
        patch.setattr(estate, "_sender_to_hub", _senders(witness, estate._sender_to_hub))
        yield


def witness_runs(runs: tuple[tuple[str, tuple[str, ...]], ...]) -> Witness:
    """Run each (scenario, overrides) in-process under one witness."""
    witness = Witness()
    with witnessing(witness):
        for name, overrides in runs:
            witness.scenario = f"{name} {' '.join(overrides)}"
            run(load_scenario(name, overrides))
    return witness
