"""The hub's ports, implemented on the SimPy environment.

This is the only place the hub meets the simulation: the clock is `env.now`, timers are
SimPy timeouts, and calls to backends travel the simulated network to the simulated
systems and back. The transport plays the part of an HTTP client with a timeout: every
request gets exactly one answer, the backend's or a 504 when the timeout passes first.
Time spent inside the hub is accumulated so the benchmark can price the hub per event.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, Protocol

import simpy

from hub.core import Hub
from simulators.network import Network


class Backend(Protocol):
    def handle(self, operation: str, body: dict[str, Any],
               reply: Callable[[int, dict[str, Any]], None]) -> None: ...


class Receiver(Protocol):
    def receive(self, topic: str, body: dict[str, Any]) -> None: ...


class HubDriver:
    """Calls into the hub, timing each one."""

    __slots__ = ("calls", "hub", "seconds")

    def __init__(self) -> None:
        self.hub: Hub | None = None
        self.seconds = 0.0
        self.calls = 0

    def receive(self, source: str, message_id: int, payload: dict[str, Any]) -> None:
        started = time.perf_counter()
        self.hub.receive(source, message_id, payload)  # type: ignore[union-attr]
        self.seconds += time.perf_counter() - started
        self.calls += 1

    def respond(self, system: str, call_id: int, status: int, body: dict[str, Any]) -> None:
        started = time.perf_counter()
        self.hub.on_response(system, call_id, status, body)  # type: ignore[union-attr]
        self.seconds += time.perf_counter() - started
        self.calls += 1

    def timer(self, event: Any) -> None:
        started = time.perf_counter()
        self.hub.on_timer(event.value)  # type: ignore[union-attr]
        self.seconds += time.perf_counter() - started
        self.calls += 1


class SimClock:
    __slots__ = ("_env",)

    def __init__(self, env: simpy.Environment) -> None:
        self._env = env

    def now(self) -> float:
        return float(self._env.now)


class SimScheduler:
    __slots__ = ("_driver", "_env")

    def __init__(self, env: simpy.Environment, driver: HubDriver) -> None:
        self._env = env
        self._driver = driver

    def call_later(self, delay_s: float, timer: tuple[str, Any]) -> None:
        self._env.timeout(delay_s, timer).callbacks.append(self._driver.timer)


class SimTransport:
    def __init__(self, env: simpy.Environment, network: Network, driver: HubDriver,
                 backends: dict[str, Backend], receivers: dict[str, Receiver]) -> None:
        self._env = env
        self._network = network
        self._driver = driver
        self._backends = backends
        self._receivers = receivers
        self._open: set[int] = set()
        self.timeouts = 0

    def request(self, system: str, operation: str, body: dict[str, Any], call_id: int,
                timeout_s: float) -> None:
        self._open.add(call_id)
        deadline = self._env.timeout(timeout_s, (system, call_id))
        deadline.callbacks.append(self._expire)
        backend = self._backends[system]
        network = self._network

        def reply(status: int, answer: dict[str, Any]) -> None:
            if not network.call_leg(system, "hub", operation, answer,
                                    lambda _id, payload: self._answer(system, call_id, status,
                                                                      payload)):
                return  # the answer cannot get back: the caller will time out

        def arrive(_id: int, payload: dict[str, Any]) -> None:
            backend.handle(operation, payload, reply)

        if not network.call_leg("hub", system, operation, body, arrive):
            refused = self._env.timeout(0.05, (system, call_id))
            refused.callbacks.append(self._refuse)

    def _answer(self, system: str, call_id: int, status: int, body: dict[str, Any]) -> None:
        if call_id in self._open:
            self._open.discard(call_id)
            self._driver.respond(system, call_id, status, body)

    def _expire(self, event: Any) -> None:
        system, call_id = event.value
        if call_id in self._open:
            self.timeouts += 1
            self._open.discard(call_id)
            self._driver.respond(system, call_id, 504, {"error": "timeout"})

    def _refuse(self, event: Any) -> None:
        system, call_id = event.value
        if call_id in self._open:
            self._open.discard(call_id)
            self._driver.respond(system, call_id, 503, {"error": "connection refused"})

    def publish(self, system: str, topic: str, body: Any) -> None:
        receiver = self._receivers[system]
        self._network.send("hub", system, topic, body,
                           lambda _id, payload: receiver.receive(topic, payload))
