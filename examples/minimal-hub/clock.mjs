// Time, as the twin counts it.
//
// Every time the twin talks about (in bodies, in X-Retailtwin-Sim-Time, in
// retry_after_s) is in *simulated* seconds, and the twin runs `speed` simulated
// seconds per wall second. So the hub keeps the twin's clock: it extrapolates at
// `speed` from the last time a webhook told it where the day is, and a delay of d
// simulated seconds is a timer of d / speed wall seconds.

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

  /** The twin said it is `simSeconds` (X-Retailtwin-Sim-Time): follow it forwards. */
  observe(simSeconds) {
    if (simSeconds > this.now()) {
      this.anchorSim = simSeconds;
      this.anchorWall = performance.now();
      this.last = simSeconds;
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
