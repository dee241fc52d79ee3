"""How simulated time maps onto the wall clock in a run against an external hub.

An external hub lives in wall-clock time: its timeouts, its retries and its batch
timers run on its own clock. The twin runs its day `speed` times faster than the wall
(simulated seconds per wall second), so every duration that crosses the boundary is
converted here and nowhere else.

When the twin's process is starved (a loaded machine, a collection), it falls behind
the wall. Racing to catch up would run simulated time many times faster than `speed`
while the hub's answers still take wall time, so a hub would be charged for the twin's
stall: at most `MAX_BEHIND_WALL_S` is caught up, the rest slips (the day runs that much
later on the wall), and the slip is counted so the report can say the pace was not kept.
Both hubs' clocks follow the twin forwards from its `X-Retailtwin-Sim-Time` headers.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

#: wall seconds the twin may run behind and still catch up; beyond, the day slips
MAX_BEHIND_WALL_S = 0.05


@dataclass(slots=True)
class WallPace:
    #: simulated seconds per wall second
    speed: float
    #: the wall clock (`time.perf_counter`) when simulated time 0 was
    started_at: float = field(default_factory=time.perf_counter)
    #: wall seconds the day slipped because the twin could not keep the pace
    slipped_wall_s: float = 0.0

    def target(self) -> float:
        """The simulated time the day should have reached by now."""
        return (time.perf_counter() - self.started_at) * self.speed

    def keep_up(self, sim_now: float) -> float:
        """The simulated time to step towards from `sim_now`: the target, after letting
        the day slip by whatever the twin is behind beyond `MAX_BEHIND_WALL_S`."""
        behind_wall_s = (self.target() - sim_now) / self.speed
        if behind_wall_s > MAX_BEHIND_WALL_S:
            slip = behind_wall_s - MAX_BEHIND_WALL_S
            self.started_at += slip
            self.slipped_wall_s += slip
        return self.target()

    def wall(self, sim_seconds: float) -> float:
        """Wall seconds a span of simulated seconds takes."""
        return sim_seconds / self.speed

    def restart(self, at_sim_s: float = 0.0) -> None:
        """Simulated time `at_sim_s` is now (the clock starts when the hub is ready)."""
        self.started_at = time.perf_counter() - at_sim_s / self.speed
