"""What the live controls need of the running twin, and nothing more.

The controls (orders, returns, faults) act on a day that `LiveTwin` keeps moving; the
twin in turn offers them to the API as its `control`. Typing the controls against this
protocol rather than the `LiveTwin` class keeps the dependency one way: the twin builds
its controls, the controls never import the twin.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

import simpy

from scenarios.checking.operations import FaultState
from scenarios.live.command_log import CommandLog
from scenarios.live.hub_facts import HubFacts
from scenarios.spec.scenario import Scenario
from scenarios.twin.run_result import RunResult

T = TypeVar("T")


class RunningTwin(Protocol):
    """A day in progress that API clients may act on between its steps."""

    scenario: Scenario
    env: simpy.Environment
    result: RunResult
    #: faults started through the API, oldest first, ended ones included
    api_faults: list[FaultState]
    #: the commands clients gave the day, applied at instants a replay finds again
    commands: CommandLog
    #: the hub's progress with orders and returns, from its state or the systems'
    facts: HubFacts

    @property
    def finished(self) -> bool: ...

    def call_hub(self, action: Callable[..., T], *args: Any) -> T:
        """Call into the hub the way every hub call is made (through the driver)."""
        ...

    async def settle(self, ready: Callable[[], bool], timeout_s: float = 5.0) -> bool:
        """Wait while the day moves until `ready()` holds, then project; False if it
        did not happen within `timeout_s`."""
        ...

    async def project(self, force_sla: bool = False) -> Any:
        """Write what changed to the read model and tell subscribers."""
        ...
