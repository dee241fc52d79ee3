"""steady-day's working day run against a hub while the twin stalls on purpose, as a
process of its own, so the session can start it at collection (tests/head_start.py)
and judge it later (tests/e2e/test_external_hub_stalls.py says why it stalls):

    python tests/e2e/stalled_run.py HUB_URL OUT

It writes OUT/stalled.json: the stalls inflicted, how far the day slipped behind the
wall, and `exactly_once` judged from the backends' ground truth.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from scenarios.checking.invariants import exactly_once
from scenarios.checking.truth import gather
from scenarios.spec.loader import load_scenario
from scenarios.twin.external.wall_run import Stall, WallClockRun, run_against_hub

#: the file the run writes in its OUT folder
RESULT = "stalled.json"
#: the working day of steady-day at a tenth of its scale, with an hour's drain
OVERRIDES = ("scenario.scale=0.1", "scenario.duration=12h", "scenario.drain=1h")
#: simulated seconds per wall second: twelve hours in 36 wall seconds
SPEED = 1200.0
#: longer than the hub's shortest call timeout (0.25 wall seconds) and its lookup's
#: wait after one (30 simulated seconds): both would pass inside the stall
STALL_WALL_S = 0.6
#: a stall every ten simulated minutes from 07:00, each once an ERP call is open
STALLS = tuple(Stall(float(at), STALL_WALL_S, "erp") for at in range(7 * 3600, 12 * 3600, 600))


def command(hub_url: str, out: Path) -> list[str]:
    """The command that runs the stalled day against the hub at `hub_url`."""
    return [sys.executable, str(Path(__file__)), hub_url, str(out)]


def main(hub_url: str, out: Path) -> None:
    scenario = load_scenario("steady-day", OVERRIDES)
    result = asyncio.run(run_against_hub(scenario, WallClockRun(hub_url, SPEED, stalls=STALLS)))
    finding = exactly_once(result, gather(result))
    out.mkdir(parents=True, exist_ok=True)
    judged = {
        "stalls": len(STALLS),
        "stall_wall_s": STALL_WALL_S,
        "slipped_wall_s": result.seal.slipped_wall_s,
        "exactly_once": {"passed": finding.passed, "detail": finding.detail},
    }
    (out / RESULT).write_text(json.dumps(judged, indent=2))


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
