"""How simulated time maps onto the wall clock in a run against an external hub.

An external hub lives in wall-clock time: its timeouts, its retries and its batch
timers run on its own clock. The twin runs its day `speed` times faster than the wall
(simulated seconds per wall second), so every duration that crosses the boundary is
converted here and nowhere else.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass(slots=True)
class WallPace:
    #: simulated seconds per wall second
    speed: float
    #: the wall clock (`time.perf_counter`) when simulated time 0 was
    started_at: float = field(default_factory=time.perf_counter)

    def target(self) -> float:
        """The simulated time the day should have reached by now."""
        return (time.perf_counter() - self.started_at) * self.speed

    def wall(self, sim_seconds: float) -> float:
        """Wall seconds a span of simulated seconds takes."""
        return sim_seconds / self.speed

    def restart(self, at_sim_s: float = 0.0) -> None:
        """Simulated time `at_sim_s` is now (the clock starts when the hub is ready)."""
        self.started_at = time.perf_counter() - at_sim_s / self.speed
