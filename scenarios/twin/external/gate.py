"""Where an external hub's HTTP calls enter the simulation.

The in-process hub's calls travel the simulated network to the backends and back
(scenarios/twin/sim_ports.py); an external hub's do the same, from the moment its
request reaches the twin's HTTP face: the hub->backend leg (latency, slowness, a cut
link refusing the connection), the backend's own `handle` (queues, rate limits,
outages, lost answers), and the leg back. So an external hub meets exactly the
failures the scenario gives the built-in one, on top of the real HTTP round trip.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import simpy

from scenarios.twin.sim_ports import Backend, Receiver
from simulators import wire_form
from simulators.credentials import TokenAuthority
from simulators.later import Later
from simulators.marketplace import Marketplace
from simulators.network import LinkState, Network

#: (status, answer body) once the backend's answer has travelled back
Answer = Callable[[int, dict[str, Any]], None]
#: simulated seconds before a call over a cut link is refused, as in process
REFUSE_AFTER_S = 0.05
#: the hub's name on the network: the links a scenario's faults cut are `hub->erp` ...
HUB = "hub"


class BackendGate:
    """Carries calls and publishes from the external hub into the simulated estate."""

    def __init__(
        self,
        env: simpy.Environment,
        network: Network,
        backends: Mapping[str, Backend],
        receivers: Mapping[str, Receiver],
    ) -> None:
        self._env = env
        self._network = network
        self._backends = backends
        self._receivers = receivers
        #: calls and publishes the hub made, and requests the face refused before they
        #: reached a backend (not JSON, off the contract's schema)
        self.calls = 0
        self.publishes = 0
        self.refused = 0
        #: simulated time of the hub's last call or publish (the estate has settled
        #: only when the hub has gone quiet)
        self.last_heard_at = 0.0
        #: the hub's calls the simulation has not answered yet, by system (an answer
        #: the backend lost keeps its call here)
        self._open: dict[str, int] = dict.fromkeys(backends, 0)

    def systems(self) -> frozenset[str]:
        return frozenset(self._backends)

    def calls_open(self, system: str) -> int:
        """The hub's calls to `system` still in the simulation (a test's stalls wait
        for one: scenarios/twin/external/stalls.py)."""
        return self._open.get(system, 0)

    def channels(self) -> frozenset[str]:
        return frozenset(self._receivers)

    def contract_name(self, name: str) -> str:
        """The name the contract knows system or channel `name` by: "marketplace" for
        each of several marketplaces (they speak one seller API), else `name`."""
        receiver = self._receivers.get(name)
        return "marketplace" if isinstance(receiver, Marketplace) else name

    def call(
        self,
        system: str,
        operation: str,
        body: dict[str, Any],
        answer: Answer,
        token: str | None = None,
    ) -> None:
        """Send the hub's request to `system`; `answer` runs once, when (and if) the
        backend's reply has travelled back: a lost answer never runs it. `token`: the
        bearer token the request carried (only a guarded backend reads it)."""
        self.calls += 1
        self.last_heard_at = float(self._env.now)
        out = self._network.link(HUB, system)
        back = self._network.link(system, HUB)
        self._open[system] += 1
        exchange = _Exchange(self, system, operation, back, answer, token)
        if not self._network.call_leg_on(out, operation, body, exchange.arrive):
            Later(self._env, REFUSE_AFTER_S, exchange.refused, None)

    def publish(self, channel: str, topic: str, body: dict[str, Any]) -> None:
        """A feed or status notice from the hub, carried by the broker to the channel
        (at least once, as the scenario's link says)."""
        self.publishes += 1
        self.last_heard_at = float(self._env.now)
        receiver = self._receivers[channel]
        self._network.send(
            HUB, channel, topic, body, lambda _id, payload: receiver.receive(topic, payload)
        )


class _Exchange:
    """One call: to the backend over the out leg, its reply over the back leg."""

    __slots__ = ("answer", "back", "backend", "gate", "operation", "status", "system", "token")

    def __init__(
        self,
        gate: BackendGate,
        system: str,
        operation: str,
        back: LinkState,
        answer: Answer,
        token: str | None,
    ) -> None:
        self.gate = gate
        self.system = system
        self.backend = gate._backends[system]
        self.operation = operation
        self.back = back
        self.answer = answer
        self.token = token
        self.status = 0

    def arrive(self, _message_id: int, payload: dict[str, Any]) -> None:
        backend = self.backend
        if isinstance(backend, TokenAuthority):  # its API checks the bearer token
            backend.handle(self.operation, payload, self.reply, self.token)
        else:
            backend.handle(self.operation, payload, self.reply)

    def reply(self, status: int, answer: dict[str, Any], delay_s: float = 0.0) -> None:
        self.status = status
        # a cut link refuses the leg: the answer is lost and the hub times out
        self.gate._network.call_leg_on(self.back, self.operation, answer, self.answered, delay_s)

    def answered(self, _message_id: int, payload: dict[str, Any]) -> None:
        # the HTTP face writes the answer as the contract says: the stock exports are
        # compact in process only
        self.gate._open[self.system] -= 1
        self.answer(self.status, wire_form.as_wire(payload))

    def refused(self, _event: Any) -> None:
        self.gate._open[self.system] -= 1
        self.answer(503, {"error": "connection refused"})
