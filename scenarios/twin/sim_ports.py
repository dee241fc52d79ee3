"""The hub's ports, implemented on the SimPy environment.

This is the only place the hub meets the simulation: the clock is `env.now`, timers are
SimPy timeouts, and calls to backends travel the simulated network to the simulated
systems and back. The transport plays the part of an HTTP client with a timeout: every
request gets exactly one answer, the backend's or a 504 when the timeout passes first.

Effects the hub asks for while it handles a message (send a request, publish a feed,
wake me later) are queued and carried out by the driver as soon as the hub returns, in
the order asked, at the same simulated instant. That is how an outbox behaves, and it
lets the benchmark time the hub's own decisions apart from the simulated network and
timers they set in motion, which are the simulation's cost, not the hub's.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from heapq import heappop, heappush
from typing import Any, Protocol

import simpy

from compiled_build import mypyc_attr
from hub.ports import Body
from scenarios.twin.hub_driver import HubDriver
from simulators.credentials import TokenAuthority
from simulators.later import Later, now_of
from simulators.network import Deliver, LinkState, Network
from simulators.rpc import Reply


class Backend(Protocol):
    def handle(self, operation: str, body: dict[str, Any], reply: Reply) -> None: ...


class Receiver(Protocol):
    def receive(self, topic: str, body: dict[str, Any]) -> None: ...


class SimClock:
    __slots__ = ("_env",)

    def __init__(self, env: simpy.Environment) -> None:
        self._env = env

    def now(self) -> float:
        # SimPy's `now` property returns this attribute; the hub asks millions of times
        return self._env._now


class SimScheduler:
    __slots__ = ("_driver", "_env")

    def __init__(self, env: simpy.Environment, driver: HubDriver) -> None:
        self._env = env
        self._driver = driver

    def call_later(self, delay_s: float, timer: tuple[str, Any]) -> None:
        self._driver.effect(self._arm, delay_s, timer)

    def _arm(self, delay_s: float, timer: tuple[str, Any]) -> None:
        driver = self._driver
        Later(self._env, delay_s, driver.timer, (driver.generation, timer))


# compiled (make compile) and subclassed outside the build: the contract witness's
@mypyc_attr(allow_interpreted_subclasses=True)
class SimTransport:
    """Requests over the network's call legs, with a timeout per request.

    Deadlines are kept in a heap and watched by a single wake-up at the earliest one
    still open, instead of a timeout event per request: nearly every call is answered
    long before its deadline, and at peak that is tens of thousands of events a minute
    that would do nothing. Each call still times out at exactly its own deadline.
    """

    def __init__(
        self,
        env: simpy.Environment,
        network: Network,
        driver: HubDriver,
        backends: dict[str, Backend],
        receivers: dict[str, Receiver],
    ) -> None:
        self._env = env
        self._network = network
        self._driver = driver
        self._backends = backends
        self._receivers = receivers
        #: call id -> the attempt now in flight: a call retried under the same id must
        #: not be timed out by its earlier attempt's deadline, nor answered by its reply
        self._open: dict[int, int] = {}
        self._attempts = 0
        self._deadlines: list[tuple[float, int, int, str]] = []
        self._wake_at = float("inf")
        self._link_cache: dict[str, tuple[LinkState, LinkState]] = {}
        #: (system, topic) -> the one delivery callback of every feed message on it
        self._deliverers: dict[tuple[str, str], Callable[[int, Any], None]] = {}
        #: what carries each attempt (the contract witness's own, to read the answers)
        self._exchange: type[_Exchange] = _Exchange
        self.timeouts = 0

    # -- the port -------------------------------------------------------------------

    def request(
        self,
        system: str,
        operation: str,
        body: Body,
        call_id: int,
        timeout_s: float,
        token: str | None = None,
    ) -> None:
        # HubDriver.effect inlined here and below: every effect the hub decides is one
        args = (system, operation, body, call_id, timeout_s, token)
        if self._driver.inside:
            self._driver.effects.append((self._send, args))
        else:
            self._send(*args)

    def publish(self, system: str, topic: str, body: Any) -> None:
        if self._driver.inside:
            self._driver.effects.append((self._publish, (system, topic, body)))
        else:
            self._publish(system, topic, body)

    def acknowledge(self, source: str, message_id: int) -> None:
        driver = self._driver
        if driver.inside:
            driver.effects.append((driver.acknowledged, (source, message_id)))
        else:
            driver.acknowledged(source, message_id)

    def crash(self) -> None:
        """The hub died: answers and timeouts of its calls in flight have no one to go
        to (its successor sends again what it still needs)."""
        self._open.clear()

    # -- carrying it out --------------------------------------------------------------

    def _send(
        self,
        system: str,
        operation: str,
        body: Body,
        call_id: int,
        timeout_s: float,
        token: str | None = None,
    ) -> None:
        self._attempts += 1
        attempt = self._attempts
        self._open[call_id] = attempt
        self._watch(now_of(self._env) + timeout_s, attempt, call_id, system)
        out, back = self._links(system)
        exchange = self._exchange(
            self, self._backends[system], system, operation, call_id, attempt, back, token
        )
        if not self._network.call_leg_on(out, operation, body, exchange.arrive):
            Later(self._env, 0.05, self._refuse, (system, call_id, attempt))

    def _links(self, system: str) -> tuple[LinkState, LinkState]:
        links = self._link_cache.get(system)
        if links is None:
            links = (self._network.link("hub", system), self._network.link(system, "hub"))
            self._link_cache[system] = links
        return links

    def _publish(self, system: str, topic: str, body: Any) -> None:
        key = (system, topic)
        if key not in self._deliverers:
            self._deliverers[key] = _Deliverer(self._receivers[system], topic).deliver
        self._network.send_on(self._links(system)[0], topic, body, self._deliverers[key])

    def _answer(
        self, system: str, call_id: int, attempt: int, status: int, body: dict[str, Any]
    ) -> None:
        if self._open.get(call_id) == attempt:
            del self._open[call_id]
            self._driver.respond(system, call_id, status, body)

    def _refuse(self, event: Any) -> None:
        system, call_id, attempt = event.value
        if self._open.get(call_id) == attempt:
            del self._open[call_id]
            self._driver.respond(system, call_id, 503, {"error": "connection refused"})

    # -- deadlines ---------------------------------------------------------------------

    def _watch(self, deadline: float, attempt: int, call_id: int, system: str) -> None:
        heappush(self._deadlines, (deadline, attempt, call_id, system))
        if deadline < self._wake_at:
            self._wake_at = deadline
            Later(self._env, deadline - now_of(self._env), self._on_wake, deadline)

    def _on_wake(self, event: Any) -> None:
        if event.value != self._wake_at:
            return  # superseded by an earlier wake-up that has already run
        self._wake_at = float("inf")
        now = now_of(self._env)
        deadlines, in_flight = self._deadlines, self._open
        while deadlines and (
            deadlines[0][0] <= now or in_flight.get(deadlines[0][2]) != deadlines[0][1]
        ):
            _, attempt, call_id, system = heappop(deadlines)
            if in_flight.get(call_id) == attempt:
                del in_flight[call_id]
                self.timeouts += 1
                self._driver.respond(system, call_id, 504, {"error": "timeout"})
        if deadlines and deadlines[0][0] < self._wake_at:
            deadline = deadlines[0][0]
            self._wake_at = deadline
            Later(self._env, deadline - now, self._on_wake, deadline)


class Inbox(Protocol):
    """Where the systems' messages to the hub arrive, once the network delivered them:
    the in-process hub's driver, or the webhook sender of an external hub."""

    def receive(self, source: str, message_id: int, payload: dict[str, Any]) -> None: ...


class SendToHub:
    """How one system sends the hub a message: over its own link, delivered to the
    hub's inbox. A compiled callable, not a closure the estate makes: a closure stays
    interpreted, and nearly every message a system sends comes through here. What
    delivers is made once, as `_Deliverer`'s is, not bound again for every message."""

    __slots__ = ("deliver", "link", "network")

    def __init__(self, network: Network, inbox: Inbox, source: str) -> None:
        self.network = network
        self.link = network.link(source, "hub")
        #: hands a delivered message to the inbox, with this system as its source
        self.deliver: Deliver = partial(inbox.receive, source)

    def __call__(self, kind: str, payload: dict[str, Any]) -> None:
        self.network.send_on(self.link, kind, payload, self.deliver)


class _Deliverer:
    """Hands a feed's messages to their receiver: one per (system, topic), not per message."""

    __slots__ = ("receiver", "topic")

    def __init__(self, receiver: Receiver, topic: str) -> None:
        self.receiver = receiver
        self.topic = topic

    def deliver(self, _message_id: int, payload: Any) -> None:
        self.receiver.receive(self.topic, payload)


# compiled and subclassed outside the build, as SimTransport is
@mypyc_attr(allow_interpreted_subclasses=True)
class _Exchange:
    """One attempt of one request: carries it to the backend and its answer back."""

    __slots__ = (
        "attempt",
        "back",
        "backend",
        "call_id",
        "operation",
        "status",
        "system",
        "token",
        "transport",
    )

    def __init__(
        self,
        transport: SimTransport,
        backend: Backend,
        system: str,
        operation: str,
        call_id: int,
        attempt: int,
        back: LinkState,
        token: str | None,
    ) -> None:
        self.transport = transport
        self.backend = backend
        self.system = system
        self.operation = operation
        self.call_id = call_id
        self.attempt = attempt
        self.back = back
        self.token = token
        self.status = 0

    def arrive(self, _message_id: int, payload: dict[str, Any]) -> None:
        backend = self.backend
        if isinstance(backend, TokenAuthority):  # its API checks the token beside the body
            backend.handle(self.operation, payload, self.reply, self.token)
        else:
            backend.handle(self.operation, payload, self.reply)

    def reply(self, status: int, answer: dict[str, Any], delay_s: float = 0.0) -> None:
        self.status = status
        # a cut link refuses the leg: the answer is lost and the caller times out
        self.transport._network.call_leg_on(
            self.back, self.operation, answer, self.answered, delay_s
        )

    def answered(self, _message_id: int, payload: dict[str, Any]) -> None:
        self.transport._answer(self.system, self.call_id, self.attempt, self.status, payload)
