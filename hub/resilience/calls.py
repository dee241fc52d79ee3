"""Outbound calls to backends: one lane per backend, with a concurrency limit, a
circuit breaker, retries with backoff and a dead-letter queue.

A lane is the hub's connection pool to one backend. The ERP lane is the bounded write
queue that protects the ERP at peak: at most `erp_concurrency` writes in flight, the rest
wait in order. A *buffered* lane keeps calls waiting while the breaker is open and
retries transient failures for as long as it takes; an *unbuffered* lane fails fast when
the breaker is open, and dead-letters a call once its retries run out. Which lanes are
buffered is a design choice the scenarios compare.

Results come back asynchronously through `on_response`. The orchestration registers one
result handler per operation and gets a typed result (hub/resilience/results.py):
`Ok`, `Rejected` (a business 4xx), `DeadLettered`, and, only for operations registered
as not safe to retry blindly, `Unknown` (a 504: the call may have taken effect).

A lane whose backend wants an access token holds its calls until it has one, and
answers a 401 by getting a new one and sending the call again
(hub/resilience/credentials.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hub.policy import HubPolicy
from hub.ports import Body, Clock, Rng, Scheduler, Transport
from hub.resilience.breaker import BreakerState, CircuitBreaker
from hub.resilience.credentials import AUTH_TOKEN, TOKEN_REQUEST, Credential
from hub.resilience.dead_letter import DeadLetter, DeadLetterQueue
from hub.resilience.lanes import Call, Lane, LaneConfig
from hub.resilience.results import (
    CallResult,
    DeadLettered,
    Ok,
    Rejected,
    Unknown,
    UnsafeCallResult,
    error_reason,
)
from hub.resilience.retry import backoff_delay_s

# read as a global: an Enum's member read through its class goes through
# EnumType.__getattr__'s hook on Python 3.11, 67 ns against 8 (every call and answer
# passes here)
_CLOSED = BreakerState.CLOSED

__all__ = ["TRANSIENT", "Call", "CallManager", "LaneConfig", "ResultHandler"]

#: statuses that say "try again later", as HTTP uses them
TRANSIENT = frozenset({429, 500, 502, 503, 504})


#: the handler of a retry-safe operation
ResultHandler = Callable[[Call, CallResult], None]
#: the handler of an operation that is not safe to retry blindly (it also sees `Unknown`)
UnsafeResultHandler = Callable[[Call, UnsafeCallResult], None]


class CallManager:
    def __init__(
        self,
        policy: HubPolicy,
        clock: Clock,
        scheduler: Scheduler,
        transport: Transport,
        rng: Rng,
        dead_letters: DeadLetterQueue,
        lanes: dict[str, LaneConfig],
        token_systems: tuple[str, ...] = (),
    ) -> None:
        self._policy = policy
        self._clock = clock
        self._scheduler = scheduler
        self._transport = transport
        self._rng = rng
        self._dead_letters = dead_letters
        self._lanes = {
            system: Lane(system, config, CircuitBreaker(policy.breaker))
            for system, config in lanes.items()
        }
        for system in token_systems:
            self._lanes[system].credential = Credential(system)
        #: the seeded defect: a token, once had, is sent for ever and a 401 is final
        self._ignore_expiry = policy.has_defect("ignore_token_expiry")
        self._handlers: dict[str, ResultHandler] = {}
        self._unsafe_handlers: dict[str, UnsafeResultHandler] = {}
        self._retrying: dict[int, Call] = {}
        self._next_id = 0
        self.sent = 0
        self.retries = 0

    # -- wiring ---------------------------------------------------------------

    def register(self, operation: str, handler: ResultHandler) -> None:
        """A retry-safe operation: the lane retries its timeouts itself."""
        self._handlers[operation] = handler

    def register_retry_unsafe(self, operation: str, handler: UnsafeResultHandler) -> None:
        """An operation that is not safe to retry blindly: its 504s reach the handler
        as `Unknown`, and it must find out whether the first attempt took effect before
        trying again (a plain ERP would book a second document)."""
        self._unsafe_handlers[operation] = handler

    def _hand_over(self, call: Call, result: CallResult) -> None:
        handler = self._handlers.get(call.operation) or self._unsafe_handlers[call.operation]
        handler(call, result)

    # -- submitting -----------------------------------------------------------

    def submit(
        self,
        system: str,
        operation: str,
        body: dict[str, Any],
        key: str,
        context: dict[str, Any] | None = None,
        after_s: float = 0.0,
        disposable: bool = False,
    ) -> Call:
        """Queue a call; with `after_s`, hold it that long first (it counts in the
        lane's depth meanwhile, as a retry waiting its turn does); `disposable`: see
        `Call.disposable`."""
        self._next_id += 1
        now = self._clock.now()
        # every field by position (attempts 0, sent_at 0.0): a class called with
        # keywords gathers them in a dict first, a third of what building a call costs
        context = context if context is not None else {}
        call = Call(self._next_id, system, operation, body, key, now, 0, 0.0, context, disposable)
        lane = self._lanes[system]
        if after_s > 0:
            self._retrying[call.call_id] = call
            lane.waiting_retry += 1
            self._scheduler.call_later(after_s, ("call_retry", call.call_id))
            return call
        in_flight = lane.in_flight
        if (
            not lane.queue
            and lane.credential is None
            and len(in_flight) < lane.concurrency
            and lane.breaker.state is _CLOSED
        ):
            # what `_pump` does with this call alone in the queue, a free slot, no token
            # and the breaker closed (nearly every call): sent now, without the queue
            call.attempts = 1
            call.sent_at = now
            in_flight[call.call_id] = call
            self.sent += 1
            self._transport.request(
                system, operation, body, call.call_id, self._policy.call_timeout_s
            )
            return call
        lane.queue.append(call)
        self._pump(lane)
        return call

    def resubmit(self, call: Call) -> None:
        """Queue an existing call again (after a lookup found it had no effect)."""
        lane = self._lanes[call.system]
        lane.queue.append(call)
        self._pump(lane)

    def _pump(self, lane: Lane) -> None:
        queue, in_flight = lane.queue, lane.in_flight
        if not queue or len(in_flight) >= lane.concurrency:
            return  # nothing to send, or no free slot: the usual case after an answer
        now = self._clock.now()
        token = None
        if lane.credential is not None:
            token = self._token(lane, lane.credential, now)
            if token is None:
                return  # held until a token comes: the call for one is out
        breaker = lane.breaker
        while queue and len(in_flight) < lane.concurrency:
            if breaker.state is not _CLOSED and not breaker.allows(now):
                if lane.buffered:
                    self._schedule_probe(lane, now)
                    return
                # unbuffered: fail fast, as a client library with a breaker does
                call = lane.queue.popleft()
                call.attempts += 1
                self._transient_failure(lane, call, 503, "circuit open")
                continue
            call = queue.popleft()
            call.attempts += 1
            call.sent_at = now
            in_flight[call.call_id] = call
            self.sent += 1
            if token is not None:
                call.token = token
            timeout_s = self._policy.call_timeout_s
            self._transport.request(
                lane.system, call.operation, call.body, call.call_id, timeout_s, token=token
            )

    # -- credentials ------------------------------------------------------------

    def _token(self, lane: Lane, credential: Credential, now: float) -> str | None:
        """The token to send the lane's calls with now, asking for a new one when it
        is due; None: hold the calls."""
        if self._ignore_expiry and credential.token is not None:
            return credential.token
        if credential.wants_renewal(now):
            credential.fetching = True
            self._next_id += 1
            call = Call(self._next_id, lane.system, AUTH_TOKEN, dict(TOKEN_REQUEST), "", now)
            self._send_token_call(lane, call)
        return credential.current(now)

    def _send_token_call(self, lane: Lane, call: Call) -> None:
        """Past the lane's queue: the calls in it are waiting for this one."""
        call.attempts += 1
        call.sent_at = self._clock.now()
        lane.in_flight[call.call_id] = call
        self.sent += 1
        self._transport.request(
            lane.system, AUTH_TOKEN, call.body, call.call_id, self._policy.call_timeout_s
        )

    def _credential_answer(
        self, lane: Lane, credential: Credential, call: Call, status: int, body: Body
    ) -> bool:
        """Deal with a token call's answer, or a call refused for its token; False for
        any other answer."""
        if call.operation == AUTH_TOKEN:
            margin_s = self._policy.token_refresh_margin_s
            if status >= 300 or not credential.accept(body, call.sent_at, margin_s):
                credential.failed += 1
                delay = backoff_delay_s(self._policy.retry, call.attempts, self._rng)
                self._retrying[call.call_id] = call
                lane.waiting_retry += 1
                self._scheduler.call_later(delay, ("call_retry", call.call_id))
            return True
        if status != 401 or self._ignore_expiry:
            return False
        credential.rejected += 1
        credential.drop(call.token)
        call.token_refusals += 1
        if call.token_refusals > 1:  # a fresh token refused too: back off, never spin
            self._transient_failure(lane, call, status, "refused its access token again")
            return True
        call.attempts -= 1  # refused at the door: it never reached the backend
        lane.queue.appendleft(call)
        return True

    def _schedule_probe(self, lane: Lane, now: float) -> None:
        if lane.breaker.probe_in_flight:
            return  # the probe's answer will pump the lane
        if not lane.probe_scheduled:
            lane.probe_scheduled = True
            self._scheduler.call_later(
                max(0.1, lane.breaker.reopen_in(now)), ("lane_probe", lane.system)
            )

    # -- results --------------------------------------------------------------

    def on_response(self, system: str, call_id: int, status: int, body: Body) -> None:
        lane = self._lanes[system]
        call = lane.in_flight.pop(call_id, None)
        if call is None:
            return  # an answer to a call already settled (the transport timed it out)
        if status == 401 and lane.credential is None and body.get("error") == "invalid_token":
            lane.credential = Credential(system)  # nobody said it wants a token: learn it
        credential = lane.credential
        if credential is not None and self._credential_answer(lane, credential, call, status, body):
            self._pump(lane)
            return
        if status < 300:  # `record_success` and `_hand_over` inlined: nearly every answer
            breaker = lane.breaker
            if breaker.state is _CLOSED:  # it forgets failures, closes nothing
                breaker.consecutive_failures = 0
                breaker.probe_in_flight = False
            elif breaker.record_success() and self._policy.auto_replay:
                self.replay_dead_letters(system)
            handler = self._handlers.get(call.operation) or self._unsafe_handlers[call.operation]
            handler(call, Ok(status, body))
        elif 400 <= status < 500 and status != 429:
            lane.breaker.record_success()  # the backend is up; it just said no
            self._hand_over(call, Rejected(status, error_reason(status, body), body))
        elif status == 504 and call.operation in self._unsafe_handlers:
            lane.breaker.record_failure(self._clock.now())
            self._unsafe_handlers[call.operation](call, Unknown(status, error_reason(status, body)))
        else:
            reason = error_reason(status, body)
            if status == 429:
                lane.breaker.record_throttled()
            else:
                lane.breaker.record_failure(self._clock.now())
            retry_after = float(body.get("retry_after_s", 0.0)) if body else 0.0
            self._transient_failure(lane, call, status, reason, retry_after)
        if lane.queue:  # `_pump` has nothing to do otherwise: the usual case
            self._pump(lane)

    def _transient_failure(
        self, lane: Lane, call: Call, status: int, reason: str, retry_after_s: float = 0.0
    ) -> None:
        policy = self._policy.retry
        if call.disposable:
            self._hand_over(call, DeadLettered(f"{reason} (not retried: disposable)"))
            return
        if not lane.buffered and call.attempts >= policy.max_attempts:
            self._dead_letters.add(
                DeadLetter(
                    "call",
                    f"{call.system}:{call.operation}:{call.key}",
                    f"{call.system} answered {status} ({reason}) after {call.attempts} attempts",
                    self._clock.now(),
                    call,
                )
            )
            self._hand_over(call, DeadLettered(reason))
            return
        delay = max(retry_after_s, backoff_delay_s(policy, max(1, call.attempts), self._rng))
        self._retrying[call.call_id] = call
        lane.waiting_retry += 1
        self.retries += 1
        self._scheduler.call_later(delay, ("call_retry", call.call_id))

    def retry_later(self, call: Call, status: int, reason: str) -> None:
        """Treat a call's outcome as a transient failure: back off, or dead-letter it
        once an unbuffered lane's retries are spent."""
        self._transient_failure(self._lanes[call.system], call, status, reason)

    # -- timers -----------------------------------------------------------------

    def on_retry_due(self, call_id: int) -> None:
        call = self._retrying.pop(call_id, None)
        if call is None:
            return
        lane = self._lanes[call.system]
        lane.waiting_retry -= 1
        if call.operation == AUTH_TOKEN:
            self._send_token_call(lane, call)
            return
        lane.queue.appendleft(call)
        self._pump(lane)

    def on_probe_due(self, system: str) -> None:
        lane = self._lanes[system]
        lane.probe_scheduled = False
        self._pump(lane)

    # -- operations -------------------------------------------------------------

    def sweep_dead_letters(self) -> int:
        """Replay the dead-lettered calls of every backend whose breaker is closed."""
        replayed = 0
        for system, lane in self._lanes.items():
            if lane.breaker.state is _CLOSED:
                replayed += self.replay_dead_letters(system)
        return replayed

    def replay_dead_letters(self, system: str | None = None) -> int:
        """Put dead-lettered calls (of one backend, or all) back in their lanes."""
        letters = self._dead_letters.take(
            lambda letter: (
                letter.kind == "call" and (system is None or letter.payload.system == system)
            )
        )
        for letter in letters:
            call: Call = letter.payload
            call.attempts = 0
            self._lanes[call.system].queue.append(call)
        for lane in self._lanes.values():
            self._pump(lane)
        return len(letters)

    # -- observation ----------------------------------------------------------------

    def lane_depth(self, system: str) -> int:
        return self._lanes[system].depth

    def breaker_state(self, system: str) -> BreakerState:
        return self._lanes[system].breaker.state

    def breaker_opens(self, system: str) -> int:
        return self._lanes[system].breaker.opens

    def in_flight(self) -> list[tuple[str, int]]:
        """(system, call id) of every call sent and not yet answered, oldest first."""
        return sorted(
            (
                (system, call_id)
                for system, lane in self._lanes.items()
                for call_id in lane.in_flight
            ),
            key=lambda pair: pair[1],
        )

    def credential(self, system: str) -> Credential | None:
        """The lane's access token and its story (None: its backend wants none)."""
        return self._lanes[system].credential

    def systems(self) -> list[str]:
        return list(self._lanes)

    def idle(self) -> bool:
        return all(lane.depth == 0 for lane in self._lanes.values())
