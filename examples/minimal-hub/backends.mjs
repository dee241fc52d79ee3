// Calling the twin's backends, and publishing to its channels.
//
//   POST {backends_url}/systems/{system}/{operation}  -> the backend's status and JSON body
//   POST {backends_url}/channels/{channel}/{topic}    -> 202
//   GET  {backends_url}/clock                         -> {now_s, speed, end_s, finished}
//
// What can go wrong, and what this client does about it:
//   429  throttled: wait `retry_after_s` (simulated seconds, in the body) and retry
//   503  down, or the connection refused: back off and retry
//   no answer in time (our timeout), or 504 (the twin lost the answer): the request
//        may or may not have taken effect. Retrying is safe where the backend
//        recognises a repeat: the payment gateway by `idempotency_key`, the WMS by
//        order ref (a second release answers 409), the marketplace's acknowledgement.
//        It is NOT safe for an ERP write: a plain ERP books a second document. So
//        `erpWrite` asks the ERP whether our DocRef exists before writing again.
//   any other 4xx: a business answer (card declined, already released); returned.
//
// Retries go on until the backend answers, for as long as the day lasts: a minimal hub
// has no dead-letter queue, it simply keeps trying with backoff. Calls to one backend
// go through a lane of a few slots, retries included, as a connection pool would: when
// the ERP is down for an hour, eight writes back off and the rest wait their turn,
// instead of every pending write knocking on its door.

/** Simulated seconds a call may take before we stop waiting for its answer... */
const CALL_TIMEOUT_SIM_S = 30;
/** ...but never less than this in wall time: a busy loopback is not a dead backend
 *  (the reference hub's floor too). A timeout is only ever slow, never wrong: what
 *  follows it is a retry the backend recognises, or an ERP lookup. */
const MIN_CALL_TIMEOUT_WALL_MS = 250;
/** Retry backoff in simulated seconds: doubling from the first to the ceiling. */
const BACKOFF_FIRST_S = 2;
const BACKOFF_MAX_S = 300;
/** After a lost ERP answer, let this much simulated time pass before asking the ERP
 *  whether it booked the document: a request still queued in a busy ERP must have been
 *  worked off first, or the lookup says "no" and the retry books it twice. */
const LOOKUP_AFTER_SIM_S = 60;

/** Calls in progress (retries included) per backend; the built-in hub's lanes are as
 *  wide (hub/bootstrap.py). The ERP's comes from `hub_policy.erp_concurrency`. */
const LANE_WIDTH = { erp: 8, payment: 64, wms: 64, pos: 64, marketplace: 32 };

export class DayOver extends Error {}

/** At most `width` holders at a time; the others wait in order. */
class Lane {
  constructor(width) {
    this.free = width;
    this.waiting = [];
  }

  async take() {
    if (this.free > 0) this.free -= 1;
    else await new Promise((resolve) => this.waiting.push(resolve));
  }

  give() {
    const next = this.waiting.shift();
    if (next) next(); // the slot passes straight on
    else this.free += 1;
  }
}

export class Backends {
  constructor(baseUrl, clock, day, log, erpLaneWidth = LANE_WIDTH.erp) {
    this.base = baseUrl.replace(/\/$/, "");
    this.clock = clock;
    this.day = day; // every retry loop stops once the day is over (`dayOver`)
    this.log = log;
    const widths = { ...LANE_WIDTH, erp: erpLaneWidth };
    this.lanes = Object.fromEntries(Object.entries(widths).map(([system, width]) => [system, new Lane(width)]));
  }

  timeoutMs() {
    return Math.max(MIN_CALL_TIMEOUT_WALL_MS, this.clock.wallMs(CALL_TIMEOUT_SIM_S));
  }

  /** One POST; every failure becomes a status (504: no answer in time, 503: refused). */
  async post(path, body, timeoutMs) {
    try {
      const response = await fetch(this.base + path, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await response.text();
      let answer = {};
      try {
        answer = text ? JSON.parse(text) : {};
      } catch {
        answer = { error: text.slice(0, 200) };
      }
      return { status: response.status, body: answer };
    } catch (error) {
      const timedOut = error.name === "TimeoutError" || error.name === "AbortError";
      return timedOut ? { status: 504, body: { error: "timeout" } } : { status: 503, body: { error: String(error.cause ?? error) } };
    }
  }

  /**
   * Call a backend operation, retrying what is worth retrying. Returns {status, body}
   * for a 2xx or a business 4xx. With `lostIsFinal`, a lost answer (504) is returned
   * too, for the caller to find out what happened.
   */
  async call(system, operation, body, { lostIsFinal = false } = {}) {
    const lane = this.lanes[system];
    await lane.take();
    try {
      return await this.callInLane(system, operation, body, lostIsFinal);
    } finally {
      lane.give();
    }
  }

  async callInLane(system, operation, body, lostIsFinal) {
    for (let attempt = 1; ; attempt++) {
      if (await this.dayOver()) throw new DayOver();
      const answer = await this.post(`/systems/${system}/${operation}`, body, this.timeoutMs());
      const { status } = answer;
      this.log.debug(`${system}/${operation} -> ${status}`, body);
      if (status < 300) return answer;
      if (status >= 400 && status < 500 && status !== 429) return answer;
      if (status === 504 && lostIsFinal) return answer;
      const backoff = Math.min(BACKOFF_MAX_S, BACKOFF_FIRST_S * 2 ** (attempt - 1));
      const jittered = backoff * (0.5 + Math.random() / 2);
      await this.clock.sleep(Math.max(Number(answer.body.retry_after_s) || 0, jittered));
    }
  }

  /**
   * Write a document to the ERP exactly once. Every ERP body carries our reference,
   * `DocRef`; when an answer is lost we look the reference up (`find_document`) and
   * write again only if the ERP has no such document.
   */
  async erpWrite(operation, body) {
    for (;;) {
      const answer = await this.call("erp", operation, body, { lostIsFinal: true });
      if (answer.status !== 504) return answer;
      await this.waitForTwin(LOOKUP_AFTER_SIM_S);
      const found = await this.call("erp", "find_document", { DocRef: body.DocRef });
      if (found.status === 200) return found; // booked the first time: {DocumentNo}
      this.log.debug(`erp/${operation} ${body.DocRef}: answer lost and not booked, writing again`);
    }
  }

  /** Wait until the twin's own clock (GET /clock) has moved on `simSeconds`: our
   *  extrapolated clock runs ahead when the twin falls behind the wall. */
  async waitForTwin(simSeconds) {
    const start = await this.twinNow();
    if (start === null) return this.clock.sleep(simSeconds); // no answer: trust our clock
    for (;;) {
      await this.clock.sleep(simSeconds / 4);
      if (await this.dayOver()) throw new DayOver();
      if (((await this.twinNow()) ?? Infinity) >= start + simSeconds) return;
    }
  }

  /**
   * Whether to stop retrying: a new day superseded this one, or our clock says the day
   * ended hours ago and the twin agrees (its clock says finished, or nothing listens at
   * its address any more). Our clock alone is not enough: it runs ahead of the twin's
   * by whatever the twin slipped behind the wall, half a simulated hour or more on a
   * loaded machine, and a hub that trusted it dropped, silently, the refunds and
   * invoices the twin was still waiting for.
   */
  async dayOver() {
    if (this.day.superseded) return true;
    return this.day.pastEnd && (await this.twinFinished());
  }

  /** The twin says its day is finished, or is gone; a slow answer is not an ending. */
  async twinFinished() {
    try {
      const response = await fetch(this.base + "/clock", { signal: AbortSignal.timeout(this.timeoutMs()) });
      return (await response.json()).finished === true;
    } catch (error) {
      return error.cause?.code === "ECONNREFUSED";
    }
  }

  /** The twin's simulated time now, or null if it does not say. */
  async twinNow() {
    try {
      const response = await fetch(this.base + "/clock", { signal: AbortSignal.timeout(this.timeoutMs()) });
      return (await response.json()).now_s;
    } catch {
      return null;
    }
  }

  /** Hand a feed or a status notice to a channel (202); retried a few times. */
  async publish(channel, topic, body) {
    for (let attempt = 1; attempt <= 8; attempt++) {
      if (await this.dayOver()) return;
      const answer = await this.post(`/channels/${channel}/${topic}`, body, this.timeoutMs());
      this.log.debug(`publish ${channel}/${topic} -> ${answer.status}`);
      if (answer.status < 300) return;
      if (answer.status >= 400 && answer.status < 500 && answer.status !== 429) {
        this.log.error(`${channel}/${topic} refused a publish: ${JSON.stringify(answer.body)}`);
        return;
      }
      await this.clock.sleep(BACKOFF_FIRST_S * 2 ** (attempt - 1));
    }
    this.log.error(`${channel}/${topic}: gave up publishing after 8 attempts`);
  }
}
