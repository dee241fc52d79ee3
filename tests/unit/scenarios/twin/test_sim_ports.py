"""The SimPy transport plays an HTTP client with a timeout: one answer per attempt, the
backend's or a 504 at that attempt's own deadline."""

from __future__ import annotations

from typing import Any

import simpy

from scenarios.twin.hub_driver import HubDriver
from scenarios.twin.sim_ports import SimTransport
from simulators.network import LinkProfile, Network
from simulators.rng import Streams
from simulators.rpc import Reply


class RecordingHub:
    def __init__(self, env: simpy.Environment) -> None:
        self.env = env
        self.answers: list[tuple[float, int, int]] = []

    def on_response(self, system: str, call_id: int, status: int, body: Any) -> None:
        self.answers.append((round(self.env.now, 1), call_id, status))


class SlowSecondTime:
    """Refuses the first attempt at once (429), answers the second after 25 s."""

    def __init__(self, env: simpy.Environment) -> None:
        self.env = env
        self.seen = 0

    def handle(self, operation: str, body: dict[str, Any], reply: Reply) -> None:
        self.seen += 1
        if self.seen == 1:
            reply(429, {"error": "busy"})
        else:
            reply(200, {"ok": True}, 25.0)


def _transport(env: simpy.Environment, backend: Any) -> tuple[SimTransport, RecordingHub]:
    network = Network(env, Streams(1), LinkProfile(0.001, 0.001, 0.0, 0.0, 1.0, 0.0, 1.0))
    driver = HubDriver()
    hub = RecordingHub(env)
    driver.hub = hub  # type: ignore[assignment]
    return SimTransport(env, network, driver, {"erp": backend}, {}), hub


def test_a_retried_call_is_not_timed_out_by_its_first_attempts_deadline() -> None:
    env = simpy.Environment()
    transport, hub = _transport(env, SlowSecondTime(env))
    transport.request("erp", "create", {}, 7, 30.0)
    env.run(until=10)
    assert [status for _, _, status in hub.answers] == [429]
    transport.request("erp", "create", {}, 7, 30.0)  # the retry, same call id, at t=10
    env.run(until=100)
    assert hub.answers[1:] == [(35.0, 7, 200)]  # not a 504 at t=30
    assert transport.timeouts == 0


def test_an_unanswered_attempt_times_out_at_its_own_deadline() -> None:
    env = simpy.Environment()

    class Silent:
        def handle(self, operation: str, body: dict[str, Any], reply: Reply) -> None:
            pass

    transport, hub = _transport(env, Silent())
    transport.request("erp", "create", {}, 1, 30.0)
    env.run(until=5)
    transport.request("erp", "create", {}, 2, 30.0)
    env.run(until=100)
    assert hub.answers == [(30.0, 1, 504), (35.0, 2, 504)]
