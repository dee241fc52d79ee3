"""The minimal example hub's calls on their own, under node: a call goes on though the
hub's clock says the day ended hours ago, for as long as the twin's clock says it is
not finished; once the twin says so, or is gone, the call gives up (`DayOver`).

The hub's clock extrapolates at `speed` from the last simulated time a webhook named,
and the twin slips behind the wall on a loaded machine rather than racing: 35 wall
seconds in a run at 300x beside five others (06:12 on 2026-12-06, load 11), so the
hub's clock ran three simulated hours ahead of the twin's. Trusting it alone, the hub
gave up on every call once it read three hours past the end, while the twin was still
draining: returns inspected and never refunded nor credited, orders shipped and never
invoiced, and nothing in the hub's log; what the flaky steady-day run
(tests/e2e/test_external_hub.py) once showed."""

from __future__ import annotations

from pathlib import Path

from external_support import run_node_module_driver

BACKENDS = Path(__file__).resolve().parents[2] / "examples" / "minimal-hub" / "backends.mjs"

DRIVER = """
import http from "node:http";
import { Backends, DayOver } from %s;
let finished = false;
const calls = [];
const twin = http.createServer((request, response) => {
  response.writeHead(200, { "content-type": "application/json" });
  if (request.url === "/clock") return response.end(JSON.stringify({ now_s: 1000, finished }));
  calls.push(request.url);
  response.end("{}");
});
twin.listen(0, "127.0.0.1", async () => {
  const url = `http://127.0.0.1:${twin.address().port}`;
  // our clock reads far past the day's end; the twin's is at 1000 s
  const clock = { now: () => 1e9, wallMs: (s) => s, sleep: async () => {} };
  const day = { superseded: false, pastEnd: true };
  const log = { debug: () => {}, error: (...m) => console.error(...m) };
  const backends = new Backends(url, clock, day, log);
  const outcome = async (call) => {
    try {
      return (await call()).status ?? "returned";
    } catch (error) {
      return error instanceof DayOver ? "day over" : String(error);
    }
  };
  const refund = () => backends.call("payment", "refund", { reference: "R-1" });
  const seen = [await outcome(refund)];
  finished = true;
  seen.push(await outcome(refund));
  finished = false;
  twin.closeAllConnections();
  twin.close(); // the twin is gone: nothing listens at its address
  seen.push(await outcome(refund));
  day.superseded = true; // a new day began: no need to ask
  seen.push(await outcome(refund));
  console.log(JSON.stringify({ seen, calls }));
  process.exit(0); // not waiting out the keep-alive of the pool
});
"""


def test_a_call_goes_on_until_the_twin_says_the_day_is_over(tmp_path: Path) -> None:
    result = run_node_module_driver(tmp_path, DRIVER, BACKENDS)
    assert result["seen"] == [200, "day over", "day over", "day over"]
    assert result["calls"] == ["/systems/payment/refund"]
