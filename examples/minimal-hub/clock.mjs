// Time, as the twin counts it.
//
// Every time the twin talks about (in bodies, in X-Retailtwin-Sim-Time, in
// retry_after_s) is in *simulated* seconds, and the twin runs `speed` simulated
// seconds per wall second. So the hub keeps the twin's clock: it extrapolates at
// `speed` from the last time a webhook told it where the day is, and a delay of d
// simulated seconds is a timer of d / speed wall seconds.
//
// A twin starved of the CPU stalls and lets its day slip behind the wall. Told a time
// below its own, this clock pauses (never goes back) until the twin's time catches
// up, so it is not left ahead by every slip of the day. Its timers still sleep on the
// wall, so what must not come early in the twin's time waits on the twin's own
// GET /clock instead: the lookup after a lost ERP answer (backends.mjs, waitForTwin).

import { performance } from "node:perf_hooks";

export class TwinClock {
  constructor(speed) {
    this.speed = speed;
    this.anchorSim = 0; // day.started is acknowledged at simulated time 0
    this.anchorWall = performance.now();
    this.last = 0;
  }

  /** Simulated seconds now; never goes backwards. */
  now() {
    const extrapolated = this.anchorSim + ((performance.now() - this.anchorWall) / 1000) * this.speed;
    if (extrapolated > this.last) this.last = extrapolated;
    return this.last;
  }

  /** The twin said it is `simSeconds` (X-Retailtwin-Sim-Time): extrapolate from there.
   *  An older time than one heard (a webhook overtaken) changes nothing; one below
   *  `now()` (the twin slipped) pauses the clock until the twin catches up. */
  observe(simSeconds) {
    if (simSeconds >= this.anchorSim) {
      this.anchorSim = simSeconds;
      this.anchorWall = performance.now();
    }
  }

  /** Wall milliseconds that `simSeconds` take. */
  wallMs(simSeconds) {
    return (simSeconds / this.speed) * 1000;
  }

  /** Resolve after `simSeconds` of simulated time. */
  sleep(simSeconds) {
    return new Promise((resolve) => setTimeout(resolve, this.wallMs(simSeconds)));
  }
}
