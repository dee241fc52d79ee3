"""The minimal example hub's clock on its own, under node: told a time below its own
(the twin slipped behind the wall while it stalled), it pauses until the twin's time
catches up, never going back, and is not left ahead by the slip; an older time than
one already heard (a webhook overtaken) changes nothing."""

from __future__ import annotations

from pathlib import Path

from external_support import run_node_module_driver

CLOCK = Path(__file__).resolve().parents[2] / "examples" / "minimal-hub" / "clock.mjs"

DRIVER = """
import { TwinClock } from %s;
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const clock = new TwinClock(1000);
await wait(100);
const before = clock.now(); // about 100 simulated seconds
clock.observe(10); // the twin stalled: it is at 10
const paused = clock.now();
await wait(40);
const stillPaused = clock.now(); // the twin's 10 + 40 is short of 100 yet
await wait(160);
const caughtUp = clock.now(); // the twin's 10 + 200: on from the twin's time
clock.observe(5); // an overtaken webhook
const after = clock.now();
console.log(JSON.stringify({ before, paused, stillPaused, caughtUp, after }));
"""


def test_the_minimal_hubs_clock_pauses_after_the_twin_slipped(tmp_path: Path) -> None:
    seen = run_node_module_driver(tmp_path, DRIVER, CLOCK)
    assert seen["before"] >= 100.0
    assert seen["paused"] == seen["before"]  # never back
    assert seen["stillPaused"] == seen["before"]
    # 10 + (at least 200) wall ms at 1000x, not the 300-odd it would read had the
    # stall left it ahead
    assert 210.0 <= seen["caughtUp"] < seen["before"] + 200.0
    assert seen["after"] >= seen["caughtUp"]
