"""The hub as a process the twin can kill and start again (a `hub`/`crash` fault).

A crash throws away everything the hub holds in memory: its aggregates, its calls in
flight, its timers, its outbox, whatever it had not committed. Only its durable store
survives (`SimJournalStore`). On restart a new hub is built on the same ports and
rebuilt from the store (`hub.bootstrap.recover`): it replays what it committed, arms
its timers again, treats the calls it never heard back about as timed out, and the
broker delivers again every message it had not acknowledged, with those that arrived
while it was down. A hub with no journal (`hub.journal = false`) restarts with nothing
but the day's opening stock: the negative control for durability.

Like Jepsen's process-kill nemesis, but inside the deterministic simulation, as
FoundationDB and TigerBeetle crash their systems under test: a crash at a simulated
instant, the same crash every time for the same seed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import simpy

from hub.bootstrap import bootstrap, recover
from hub.context import Topology
from hub.core import Hub
from hub.messages import StockReport
from hub.ports import Clock, DurableStore, Scheduler, Transport
from scenarios.spec.scenario import Scenario
from scenarios.twin.hub_driver import HubDriver
from scenarios.twin.hub_store import SimJournalStore
from scenarios.twin.partner_plan import partner_topology
from scenarios.twin.sim_ports import SimClock, SimScheduler, SimTransport
from simulators.rng import Streams
from simulators.world import World


@dataclass(frozen=True, slots=True)
class Restart:
    """One comeback of the hub after a crash."""

    at_s: float
    #: journal entries replayed to rebuild it (0 without a journal)
    replayed: int
    #: entries the crash caught before their commit: lost, their inputs redelivered
    lost: int
    #: messages the broker delivered again: unacknowledged, or sent while it was down
    redelivered: int


class HubProcess:
    """The running hub (`hub`), and how to crash and restart it."""

    def __init__(
        self,
        env: simpy.Environment,
        scenario: Scenario,
        world: World,
        driver: HubDriver,
        transport: SimTransport,
    ) -> None:
        self._env = env
        self._scenario = scenario
        self._world = world
        self._driver = driver
        self._transport = transport
        self.store = SimJournalStore(env, scenario.backends.store.commit_latency_s)
        self.topology = Topology(
            tuple(dc.location_id for dc in world.dcs),
            tuple(s.location_id for s in world.stores),
            world.region_of(),
            tax_engine=scenario.backends.tax.enabled,
            fraud_screen=scenario.backends.fraud.enabled,
            token_systems=tuple(sorted(scenario.backends.token_lifetimes())),
            region_hops={(a, b): world.hops(a, b) for a in world.regions for b in world.regions},
            marketplaces=tuple(placed.name for placed in scenario.marketplaces()),
            **partner_topology(scenario, world),
        )
        self.hub = bootstrap(
            scenario.hub,
            SimClock(env),
            SimScheduler(env, driver),
            transport,
            self._fresh_rng(),
            self.topology,
            self.store,
        )
        driver.hub = self.hub
        self.crashes = 0
        self.restarts: list[Restart] = []
        self._lost = 0
        #: runtime calls into the hub that came while it was down, made on restart
        self._waiting: list[Callable[[Hub], Any]] = []

    @property
    def down(self) -> bool:
        return self._driver.down

    def _fresh_rng(self) -> Any:
        """The hub's stream from its seed's start: a rebuilt hub draws what the first
        one drew, in the same order, as it replays the same inputs."""
        return Streams(self._scenario.seed).get("hub")

    def call(self, action: Callable[[Hub], Any]) -> None:
        """A runtime call into the hub (closing the day); on a dead hub, made when it
        is back."""
        if self.down:
            self._waiting.append(action)
        else:
            self._driver.run(action, self.hub)

    def crash(self) -> None:
        if self.down:
            return
        self.crashes += 1
        self._driver.crash()
        self._transport.crash()
        self._lost = self.store.crash()

    def restart(self) -> None:
        if not self.down:
            return
        self.hub = self._driver.run(self._rebuilt)
        replayed = len(self.store) if self._scenario.hub.journal else 0
        held = len(self._driver.held)
        self.restarts.append(Restart(float(self._env.now), replayed, self._lost, held))
        self._driver.restarted(self.hub)
        waiting, self._waiting = self._waiting, []
        for action in waiting:
            self._driver.run(action, self.hub)

    def blank_replica(self) -> Hub:
        """A second hub on this one's policy and stream, ready to replay the store
        (`hub.replay(store.entries())`) but wired to nothing: to compare with the
        running hub, or to time a replay. Its ports refuse to be used: a replaying hub
        must not act."""
        inert = _Inert()
        policy, rng = self._scenario.hub, self._fresh_rng()
        return bootstrap(
            policy, inert, inert, inert, rng, self.topology, self.store, replaying=True
        )

    def live_replica(
        self, clock: Clock, scheduler: Scheduler, transport: Transport, store: DurableStore
    ) -> Hub:
        """A second hub on this one's policy, stream and topology, live on the ports
        given (it acts, and commits to `store`): fed this one's inputs again, in order
        and at their times, it decides what this one decided (benchmarks/hub_alone.py
        times the hub so, with nothing else running)."""
        return bootstrap(
            self._scenario.hub, clock, scheduler, transport, self._fresh_rng(), self.topology, store
        )

    def _rebuilt(self) -> Hub:
        ports = (SimClock(self._env), SimScheduler(self._env, self._driver), self._transport)
        policy = self._scenario.hub
        if policy.journal:
            return recover(policy, *ports, self._fresh_rng(), self.topology, self.store)
        amnesiac = bootstrap(policy, *ports, self._fresh_rng(), self.topology)
        amnesiac.load_stock(opening_stock(self._world))
        return amnesiac


def opening_stock(world: World) -> list[StockReport]:
    """Every DC and store position at sequence 0, as the start of day reports them."""
    return [StockReport(sku, loc, qty, 0, 0.0) for (sku, loc), qty in world.dc_stock.items()] + [
        StockReport(sku, loc, qty, 0, 0.0) for (sku, loc), qty in world.store_stock.items()
    ]


class _Inert:
    """Ports for a hub that only replays: using one is a bug in the replay."""

    def now(self) -> float:
        return 0.0

    def call_later(self, *args: Any) -> None:
        raise RuntimeError(f"a replaying hub set a timer {args}")

    def request(self, *args: Any) -> None:
        raise RuntimeError(f"a replaying hub sent a request {args}")

    def publish(self, *args: Any) -> None:
        raise RuntimeError(f"a replaying hub published {args}")

    def acknowledge(self, *args: Any) -> None:
        raise RuntimeError(f"a replaying hub acknowledged {args}")
