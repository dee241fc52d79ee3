"""The reference hub books each ERP document once when the twin stalls.

A twin starved of the CPU stands still, and its day slips (scenarios/twin/external/
pace.py). The reference hub used to keep time by the wall alone: a write the twin held
timed out on the wall, the hub looked the document up a timeout later on the wall, and
the twin, back after the stall, answered the lookup "no such document" while the first
write still sat in its ERP's queue; the hub wrote again and the checker found two store
summaries, or two sales orders, for one reference (`exactly_once`, in CI runs under
load). Here the twin stalls on purpose (`Stall`, scenarios/twin/external/stalls.py),
each time while a call of the hub's to the ERP is in the simulation, for longer than the
hub's shortest timeout: the hub must wait for the twin's time, not the wall's
(hub/adapters/http/wall_ports.py). Against the old clock (main's hub/ at 8f1fd69 put
before this tree's), this test failed with 9 duplicate store summaries, and the same
run from a script with 12; 20 such stalls at 600x gave three.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from external_support import free_port, hub_process, reference_hub_command

from scenarios.checking.invariants import exactly_once
from scenarios.checking.truth import gather
from scenarios.spec.loader import load_scenario
from scenarios.twin.external.wall_run import Stall, WallClockRun, run_against_hub

#: the working day of steady-day at a tenth of its scale, with an hour's drain
OVERRIDES = ("scenario.scale=0.1", "scenario.duration=12h", "scenario.drain=1h")
#: simulated seconds per wall second: twelve hours in 36 wall seconds
SPEED = 1200.0
#: longer than the hub's shortest call timeout (0.25 wall seconds) and its lookup's
#: wait after one (30 simulated seconds): both would pass inside the stall
STALL_WALL_S = 0.6
#: a stall every ten simulated minutes from 07:00, each once an ERP call is open
STALLS = tuple(Stall(float(at), STALL_WALL_S, "erp") for at in range(7 * 3600, 12 * 3600, 600))


def test_the_reference_hub_books_once_however_the_twin_stalls(tmp_path: Path) -> None:
    port = free_port()
    scenario = load_scenario("steady-day", OVERRIDES)
    with hub_process(reference_hub_command(port), port, tmp_path / "hub.log") as url:
        how = WallClockRun(url, SPEED, stalls=STALLS)
        result = asyncio.run(run_against_hub(scenario, how))
    # the stalls happened: the day slipped by (nearly) all of them
    assert result.seal.slipped_wall_s >= 0.9 * len(STALLS) * STALL_WALL_S
    finding = exactly_once(result, gather(result))
    assert finding.passed, finding.detail
    assert "sales orders" in finding.detail
