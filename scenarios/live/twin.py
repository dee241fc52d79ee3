"""The live twin: the scenario's SimPy model stepped against the wall clock inside the
server's event loop, its read model kept current, its subscribers told what changed.

One asyncio task does it all, so nothing else ever touches the model at the same time:
every tick it runs the environment up to `speed` simulated seconds per wall second
(`env.run(until=...)`, a few milliseconds of work at a steady day's volume), and every
projection interval it writes what changed to the read model and publishes the changed
orders, SKUs and SLA breaches. No threads. When the day has drained the model stops,
the run is judged like a batch run, and the server goes on serving the final state.

Mutations (`LiveControl`) act on the model between ticks, from the same loop, the way
the estate would be acted on: an order is placed through the storefront and travels the
network to the hub; a fault is switched on in the network or a backend.

The hub under test is the built-in one, in this process, or an external one
(`ExternalHubOptions`, `serve --hub`): then the backends' HTTP face and the webhook
sender run in this same loop (scenarios/twin/external/boundary.py), the read model is
projected from the systems' records (scenarios/live/ground_projection.py), and the day
is judged from them alone, as `run --hub` is.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import simpy

from graph.events import OPERATIONS_TOPIC, EventHub
from hub.adapters.read_model import ReadModel
from hub.adapters.read_model.identity import RunIdentity
from hub.adapters.read_model.records import IdempotencyRecord
from scenarios.checking import business_metrics, operations
from scenarios.checking.operations import FaultState
from scenarios.checking.truth import gather
from scenarios.checking.verdict import Verdict, judge
from scenarios.live.command_log import CommandLog, reach
from scenarios.live.control import LiveControl
from scenarios.live.ground_projection import GroundProjector
from scenarios.live.hub_facts import facts_for
from scenarios.live.state_store import StateLocation, StateStore
from scenarios.spec.scenario import Scenario
from scenarios.twin.estate import HubOutsideTheTwin
from scenarios.twin.external.boundary import HubBoundary
from scenarios.twin.projection.projector import Changes, Projector
from scenarios.twin.run_result import RunClock, RunResult
from scenarios.twin.runtime import SETTLE_LIMIT_S, finish, settle, settled, start, step_towards
from scenarios.twin.timeline import TimelineRecorder

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Pace:
    #: simulated seconds per wall second
    speed: float = 60.0
    #: wall seconds between steps of the model
    tick_s: float = 0.05
    #: wall seconds between projections to the read model
    project_every_s: float = 0.25
    #: wall seconds between SLA evaluations (they read every record of the run so far)
    sla_every_s: float = 2.0
    #: most wall seconds the model runs before the server answers waiting requests: a
    #: busy hour (or a speed the CPU cannot keep up with) is run in slices, not in one go
    step_budget_s: float = 0.01


@dataclass(frozen=True, slots=True)
class ExternalHubOptions:
    """A hub of the user's own under the live twin (`serve --hub URL`)."""

    url: str
    #: loopback port the backends are served on (0: any free port)
    backends_port: int = 0


class LiveTwin:
    def __init__(
        self,
        scenario: Scenario,
        pace: Pace,
        scenario_ref: str,
        overrides: tuple[str, ...] = (),
        start_at_s: float = 0.0,
        state: StateLocation | None = None,
        hub: ExternalHubOptions | None = None,
    ) -> None:
        self.scenario = scenario
        self.pace = pace
        #: simulated time to run to as fast as the CPU allows before the wall clock counts,
        #: so the API opens on a morning's orders rather than an empty midnight
        self.start_at_s = start_at_s
        self._scenario_ref = scenario_ref
        self._overrides = overrides
        self.env = simpy.Environment()
        self.observer = TimelineRecorder()
        self.hub = hub
        #: the boundary with an external hub (None: the built-in hub runs in process)
        self.boundary = None if hub is None else HubBoundary(hub.url, pace.speed, self.env)
        self._day = (
            start(scenario, self.env, self.observer)
            if self.boundary is None
            else self.boundary.start_day(scenario, self.observer)
        )
        self.result = self._day.result
        self.facts = facts_for(self.result)
        self.end_s = scenario.duration_s + scenario.drain_s
        self.api_faults: list[FaultState] = []
        self.verdict: Verdict | None = None
        self._control = LiveControl(self)
        #: what clients did to the day; with a state store, durable (a restart replays it)
        self.commands = CommandLog(self.env, self._control.apply)
        self._state_location = state
        self._state: StateStore | None = None
        #: simulated and wall seconds a restart took to catch up with its log, if it did
        self.catch_up: tuple[float, float] | None = None
        self._projector: Projector | None = None
        self._read_model: ReadModel | None = None
        self._events: EventHub | None = None
        self._task: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()
        self._sla: dict[str, Any] | None = None
        self._sla_due = 0.0
        #: when the business metrics (/metrics) are next measured
        self._metrics_due = 0.0
        self._sla_passing: dict[str, bool] = {}
        self._failure: BaseException | None = None
        #: simulated seconds the model is behind the wall clock (it cannot keep up)
        self.behind_s = 0.0

    # -- the Twin protocol (graph/app.py) -------------------------------------------------

    @property
    def control(self) -> LiveControl:
        return self._control

    @property
    def identity(self) -> RunIdentity:
        """Which day this is, for the stores it keeps: the read model and the state."""
        return RunIdentity.of(self.scenario.name, self.scenario.seed, self._overrides)

    @property
    def finished(self) -> bool:
        return self.env.now >= self.end_s

    async def open_boundary(self) -> None:
        """With an external hub: serve the backends and have the hub acknowledge
        `day.started` (`HubUnreachable` if it does not). `serve` calls it before it
        says the API is up; `start` calls it if nobody did."""
        boundary, hub = self.boundary, self.hub
        if boundary is None or hub is None or boundary.server is not None:
            return
        await boundary.open(self.scenario, self.result.estate, hub.backends_port)

    async def start(self, read_model: ReadModel, events: EventHub) -> None:
        self._read_model = read_model
        self._events = events
        await self.open_boundary()
        await read_model.begin_run(self.identity)
        if self._state_location is not None:
            self._state = await StateStore.open(self._state_location)
            self.commands.store = self._state
            try:
                await self._resume(self._state, read_model)
            except BaseException:
                await self._state.dispose()
                raise
        projector = Projector if self.boundary is None else GroundProjector
        self._projector = projector(self.result, read_model, self.observer)
        await self._projector.write_master_data()
        await self.project(force_sla=True)
        self._task = asyncio.create_task(self._run(), name="retailtwin-live")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._state is not None:
            await self._state.dispose()
        if self.boundary is not None:
            await self.boundary.close()

    def health(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "speed": self.pace.speed,
            "live": not self.finished,
            "behindSeconds": round(self.behind_s, 1),
            # the model's own clock; simTimeSeconds is the read model's, as last projected
            "modelTimeSeconds": float(self.env.now),
        }
        if self.boundary is not None:
            body["hub"] = {
                "external": True,
                "url": self.boundary.hub_url,
                "backendsUrl": self.boundary.backends_url,
                "webhooksPending": self.boundary.sender.pending(),
                "wallClockSlippedSeconds": round(self.boundary.pace.slipped_wall_s, 3),
            }
        if self.catch_up is not None:
            simulated_s, wall_s = self.catch_up
            body["resumed"] = {
                "commandsReplayed": self.commands.replayed,
                "simulatedSeconds": round(simulated_s, 1),
                "wallSeconds": round(wall_s, 3),
            }
        if self._failure is not None:
            body["status"] = "failed"
            body["error"] = f"{type(self._failure).__name__}: {self._failure}"
        return body

    async def _resume(self, state: StateStore, read_model: ReadModel) -> None:
        """With a state store that already holds this day: run it again in virtual time
        through every command its clients gave, to where it had got, before going on."""
        if not await state.claim(self.identity):
            return
        began = time.perf_counter()
        logged = await state.commands()
        made = self.commands.replay(logged)
        for (entry, outcome), what in zip(logged, made, strict=True):
            if outcome is None:  # killed before it answered: answer as it would have
                outcome = self._control.outcome_of(entry.command, what)
                await self.commands.answered(entry, outcome)
            key = entry.key
            await read_model.put_idempotency(
                IdempotencyRecord(
                    key.key, key.mutation, key.request_hash, outcome.to_json(), time.time()
                )
            )
        resume_at = max(await state.progress(), float(self.env.now), self.start_at_s)
        reach(self.env, min(resume_at, self.end_s))
        self.start_at_s = float(self.env.now)
        self.catch_up = (float(self.env.now), time.perf_counter() - began)

    # -- the clock ---------------------------------------------------------------------------

    async def _run(self) -> None:
        try:
            while not self.advance(self.start_at_s):
                self.behind_s = self.start_at_s - float(self.env.now)
                await self.commands.apply_pending()
                await asyncio.sleep(0)
            self.behind_s = 0.0
            await self._paced(self.end_s, lambda: self.finished)
            await self.commands.apply_pending()  # none waits for ever on a finished day
            result = self.finish_run() if self.boundary is None else await self._finish_external()
            self.verdict = judge(result, self._scenario_ref, self._overrides)
            await self.project(force_sla=True)
        except asyncio.CancelledError:
            raise
        except Exception as exc:  # reported by /healthz, not lost in a task
            self._failure = exc
            raise

    async def _paced(self, until_s: float, done: Callable[[], bool]) -> None:
        """Step the model at `speed` x the wall clock towards `until_s` until `done()`,
        applying clients' commands and projecting between steps."""
        loop = asyncio.get_running_loop()
        pace = self.pace
        wall_start, sim_start = loop.time(), float(self.env.now)
        if self.boundary is not None:  # the face converts the hub's waits on this clock
            self.boundary.pace.restart(sim_start)
        next_projection = wall_start
        while not done():
            if self.boundary is None:
                target = min(until_s, sim_start + (loop.time() - wall_start) * pace.speed)
            else:  # a stall slips rather than charge the external hub for it (pace.py)
                target = min(until_s, self.boundary.pace.keep_up(float(self.env.now)))
            self.advance(target)
            self.behind_s = max(0.0, target - float(self.env.now))
            await self.commands.apply_pending()
            if loop.time() >= next_projection:
                began = loop.time()
                await self.project()
                # a big estate projects slowly: never spend most of the loop on it,
                # and less still while the model is behind the clock
                cost = loop.time() - began
                next_projection = loop.time() + max(
                    pace.project_every_s, cost * (4 if self.behind_s > 0 else 2)
                )
            # behind the clock: run on as soon as waiting requests have been answered
            await asyncio.sleep(pace.tick_s if self.behind_s == 0 else 0)

    async def _finish_external(self) -> RunResult:
        """After the drain, run on at the wall's pace until the external hub has gone
        quiet (it needs wall time to answer, so the batch run's `settle`, as fast as
        the CPU goes, would only wait out the limit), then seal the day."""
        assert self.boundary is not None
        result = self.result
        limit = float(self.env.now) + SETTLE_LIMIT_S
        await self._paced(limit, lambda: settled(result) or self.env.now >= limit)
        result.settled_at = float(self.env.now) if settled(result) else -1.0
        self.boundary.end_day()
        finish(self.env, self._day)
        result.seal.clock = RunClock.WALL
        result.seal.slipped_wall_s = self.boundary.pace.slipped_wall_s
        result.seal.hub_calls = self.boundary.hub_calls()
        return result

    def advance(self, target: float) -> bool:
        """Run the model towards `target` for at most the step budget; True once it got
        there (`scenarios.twin.runtime.step_towards`)."""
        return step_towards(self.env, target, self.pace.step_budget_s)

    def call_hub(self, action: Callable[..., T], *args: Any) -> T:
        """An operator's call into the hub, made through the driver so its effects run
        the way every hub call's do and its time counts in the hub's cost."""
        driver = self._day.driver
        if driver is None:
            raise HubOutsideTheTwin("an operator's call reached a twin whose hub is external")
        result: T = driver.run(action, *args)
        return result

    def finish_run(self) -> RunResult:
        """Settle and seal the day as a batch run does, for the checker to judge."""
        settle(self.env, self.result)
        finish(self.env, self._day)
        return self.result

    # -- projection ---------------------------------------------------------------------------

    def faults(self) -> list[FaultState]:
        return [*operations.scheduled_faults(self.result, float(self.env.now)), *self.api_faults]

    async def project(self, force_sla: bool = False) -> Changes:
        """Write what changed since the last projection and tell subscribers."""
        assert self._projector is not None and self._read_model is not None
        async with self._lock:
            changes = await self._projector.project()
            loop = asyncio.get_running_loop()
            judged = force_sla or self._sla is None or loop.time() >= self._sla_due
            if judged:
                began = loop.time()
                self._sla = operations.sla_report(self.result, self.verdict)
                cost = loop.time() - began
                self._sla_due = loop.time() + max(self.pace.sla_every_s, 10 * cost)
                self._publish_breaches(self._sla)
            # the business metrics read every record too: as often, but in another
            # projection than the SLAs unless both are forced, so their pauses never add up
            if force_sla or (not judged and loop.time() >= self._metrics_due):
                began = loop.time()
                measured = business_metrics.document(
                    self.result, gather(self.result), final=self.verdict is not None
                )
                await self._read_model.put_document(business_metrics.DOCUMENT, measured)
                cost = loop.time() - began
                self._metrics_due = loop.time() + max(self.pace.sla_every_s, 10 * cost)
            snapshot = operations.snapshot(
                self.result, self.observer, self.verdict, self.faults(), self._sla
            )
            await self._read_model.put_document("operations", snapshot)
            if self._state is not None:
                await self._state.record_progress(float(self.env.now))
            await self._read_model.put_document(
                "run",
                operations.run_document(
                    self.result,
                    "live",
                    self.finished and self.verdict is not None,
                    self.pace.speed,
                    self.verdict,
                ),
            )
        self._publish(changes)
        return changes

    def _publish(self, changes: Changes) -> None:
        if self._events is None:
            return
        for order_id in sorted(changes.orders):
            self._events.publish("order", order_id)
        for sku in sorted(changes.skus):
            self._events.publish("sku", sku)
        # every projection writes a new operations snapshot
        self._events.publish(OPERATIONS_TOPIC, None)

    def _publish_breaches(self, sla: dict[str, Any]) -> None:
        """An SLA breaches when it goes from met (or not yet measured) to not met."""
        for result in sla["results"]:
            was_passing = self._sla_passing.get(result["name"], True)
            self._sla_passing[result["name"]] = bool(result["passed"])
            if was_passing and not result["passed"] and self._events is not None:
                self._events.publish("sla", None, {**result, "at": float(self.env.now)})

    async def settle(self, ready: Callable[[], bool], timeout_s: float = 5.0) -> bool:
        """Wait (while the clock task moves the model) until `ready()` holds, then project
        so the read model shows it; False if it did not happen within `timeout_s`."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout_s
        while not ready():
            if loop.time() >= deadline or self.finished:
                return bool(ready())
            await asyncio.sleep(self.pace.tick_s / 2)
        await self.project()
        return True
