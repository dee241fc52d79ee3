"""The payment gateway: authorisations, captures, refunds and voids.

Authorisations hold money on a card for a while and then expire; a capture after expiry
is refused, which is why slow fulfilment costs money. Captures and refunds are limited
by what was authorised and captured, as real gateways do. Requests carrying an
idempotency key that was seen before get the first answer again and move no money; a
request without one is taken at face value. Keys are kept for a window (24 hours by
default, as at Stripe), not for ever: a retry after it is a new request. Declines and
lost answers occur at the scenario's rates; faults raise them, slow the gateway down
(its answers then come after the caller's timeout, though the work was done: the
idempotency key is what makes the retry safe) or take it down.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import simpy

from simulators.key_memory import DictKeys, KeyMemory, KeyStore
from simulators.later import now_of
from simulators.records import RecordLog, RecordTable
from simulators.rng import LogNormal
from simulators.rpc import Operation, Reply, dispatch

#: a remembered answer: a 200's id when the answer is just that (`_ok`), as the
#: number `_id` gave it when it is one of the gateway's own (`ANSWER_PREFIX`), else
#: (status, answer) as given
Answer = int | str | tuple[int, dict[str, Any]]

#: the kind of id each operation's 200 answers with: what it made, or (a void) the
#: authorisation it released
ANSWER_PREFIX = {"authorize": "auth", "capture": "cap", "refund": "re", "void": "auth"}


def _id_text(prefix: str, number: int) -> str:
    """The gateway's id `number` of a kind: `auth_000000042`."""
    return f"{prefix}_{number:09d}"


def _kept(operation: str, made: str) -> int | str:
    """What a remembered 200 keeps of its id: the number alone when the id is the
    gateway's own of the operation's kind (an int of 28 bytes, not a string of 63, for
    each of the window's keys), else the id itself."""
    prefix = ANSWER_PREFIX.get(operation)
    if prefix is None:
        return made
    digits = made[len(prefix) + 1 :]
    if digits.isdigit() and made == _id_text(prefix, number := int(digits)):
        return number
    return made


def _made(operation: str, kept: int | str) -> str:
    """The id a remembered 200 answered with (`_kept` read back)."""
    return kept if isinstance(kept, str) else _id_text(ANSWER_PREFIX[operation], kept)


def _ok(operation: str, object_id: str) -> dict[str, Any]:
    """A 200's answer as the gateway gives it: what it made (an authorisation, its
    status too)."""
    return (
        {"id": object_id, "status": "authorized"} if operation == "authorize" else {"id": object_id}
    )


#: every operation `PaymentGateway.handle` accepts; `simulators.contract.payment`
#: documents each one
OPERATIONS = ("authorize", "capture", "refund", "void")


@dataclass(slots=True, init=False)
class Authorization:
    auth_id: str
    reference: str
    amount: int
    created_at: float
    expires_at: float
    captured: int = 0
    refunded: int = 0
    voided: bool = False
    #: when it last changed (captured, refunded, voided); -1: never since created
    changed_at: float = -1.0

    # an `__init__` of its own, not the dataclass's: the compiled build runs a generated
    # `__init__` interpreted (mypyc compiles only what the source holds), and every
    # authorisation, and every one read back from the run's spill, is built here
    def __init__(
        self,
        auth_id: str,
        reference: str,
        amount: int,
        created_at: float,
        expires_at: float,
        captured: int = 0,
        refunded: int = 0,
        voided: bool = False,
        changed_at: float = -1.0,
    ) -> None:
        self.auth_id = auth_id
        self.reference = reference
        self.amount = amount
        self.created_at = created_at
        self.expires_at = expires_at
        self.captured = captured
        self.refunded = refunded
        self.voided = voided
        self.changed_at = changed_at


@dataclass(frozen=True, slots=True, init=False)
class MoneyMovement:
    movement_id: str
    auth_id: str
    reference: str
    amount: int
    at: float

    # an `__init__` of its own, not the dataclass's: the compiled build runs a generated
    # `__init__` interpreted, and through `object.__setattr__`, which compiled code does
    # on the slot itself (a fifth of the time, timed alone); every capture and refund is
    # built here
    def __init__(
        self,
        movement_id: str,
        auth_id: str,
        reference: str,
        amount: int,
        at: float,
    ) -> None:
        object.__setattr__(self, "movement_id", movement_id)
        object.__setattr__(self, "auth_id", auth_id)
        object.__setattr__(self, "reference", reference)
        object.__setattr__(self, "amount", amount)
        object.__setattr__(self, "at", at)


@dataclass(frozen=True, slots=True)
class Refusal:
    """A request the gateway refused, as it logs it: a declined authorisation (no
    `auth_id`), or a capture, refund or void it would not make, with its error code."""

    operation: str
    reference: str
    auth_id: str
    amount: int
    error: str
    at: float


@dataclass(slots=True)
class PaymentConfig:
    decline_rate: float
    lost_response_rate: float
    service_time_median_s: float
    auth_ttl_s: float
    #: how long an idempotency key is remembered: at least this, at most twice this
    #: (simulators/key_memory.py); Stripe keeps keys 24 hours. Not a scenario key: the
    #: digest folds in the scenario as run, so a new key would change every digest
    idempotency_window_s: float = 86400.0


class PaymentGateway:
    def __init__(self, env: simpy.Environment, rng: random.Random, config: PaymentConfig) -> None:
        self._env = env
        self._rng = rng
        self.config = config
        self._latency = LogNormal(
            rng, config.service_time_median_s, config.service_time_median_s * 4
        )
        self.decline_rate = config.decline_rate
        self.auth_ttl_s = config.auth_ttl_s
        #: multiplies every answer's latency (a `slow` fault)
        self.slow_factor = 1.0
        self.down = False
        #: by id; one leaves memory while nothing is happening to it (from its first
        #: capture or void until a refund brings it back): simulators/records.py
        self.authorizations: RecordTable[Authorization] = RecordTable()
        #: the money moved, in order; each final as made, so it leaves memory at once
        self.captures: RecordLog[MoneyMovement] = RecordLog()
        self.refunds: RecordLog[MoneyMovement] = RecordLog()
        self.voids: RecordLog[MoneyMovement] = RecordLog()
        #: every request refused for a business reason, in the order they came; each
        #: final as made, so it leaves memory at once (they grow with the days: 4,801
        #: more from peak-weekend's Friday to its Monday at full scale, about 1 MiB
        #: with the set of declined references, docs/architecture.md Memory, mem21)
        self.refusals: RecordLog[Refusal] = RecordLog()
        self.declines = 0
        #: the references of `refusals`' declines, made again when one came since
        self._declined: set[str] = set()
        self._declined_at = 0
        self.lost_responses = 0
        #: operation -> idempotency key -> the first answer: a key is scoped to its
        #: operation, as Stripe's are to their endpoint, so a capture reusing an
        #: authorisation's key is a new request, not the authorisation's replay. Kept
        #: for the idempotency window (one to two windows: simulators/key_memory.py),
        #: and kept small: a 200's id alone, the norm (a replay gets an equal
        #: answer, `_kept`), (status, answer) otherwise
        self._answers: dict[str, KeyMemory[Answer]] = {}
        #: where each generation of those keys is kept (`keep_keys_in`)
        self._key_stores: Callable[[], KeyStore[Answer]] = DictKeys
        self._next = 0
        self._operations: dict[str, Operation] = {
            "authorize": self._authorize,
            "capture": self._capture,
            "refund": self._refund,
            "void": self._void,
        }

    def keep_keys_in(self, stores: Callable[[], KeyStore[Answer]]) -> None:
        """Keep each generation of the idempotency keys in a new store from `stores`
        (the batch runner's: a table of its temporary file), not a dict; before the
        first request."""
        if self._answers:
            raise RuntimeError("the gateway has remembered keys already")
        self._key_stores = stores

    def handle(self, operation: str, body: dict[str, Any], reply: Reply) -> None:
        """The gateway commits a request as it takes it and answers after its service
        time; a gateway that is down refuses at once."""
        if self.down:
            reply(503, {"error": "gateway unavailable"})
            return
        service_s = self._latency() * self.slow_factor
        raw_key = body.get("idempotency_key")
        if raw_key is None:
            status, answer = dispatch(self._operations, operation, body)
        else:
            status, answer = self._answer_once(operation, str(raw_key), body)
        if self._rng.random() < self.config.lost_response_rate:
            self.lost_responses += 1
            return
        reply(status, answer, service_s)

    def _answer_once(
        self, operation: str, key: str, body: dict[str, Any]
    ) -> tuple[int, dict[str, Any]]:
        """The first answer to (operation, key), working it out if this is the first
        (or the key was forgotten: then the request is a new one)."""
        answers = self._answers.get(operation)
        if answers is None:
            answers = KeyMemory(
                self.config.idempotency_window_s, lambda: now_of(self._env), self._key_stores
            )
            self._answers[operation] = answers
        held = answers.get(key)
        if held is None:
            status, answer = dispatch(self._operations, operation, body)
            made = answer.get("id")
            if status == 200 and isinstance(made, str) and answer == _ok(operation, made):
                answers.put(key, _kept(operation, made))
            else:
                answers.put(key, (status, answer))
            return status, answer
        return held if isinstance(held, tuple) else (200, _ok(operation, _made(operation, held)))

    @property
    def declined(self) -> set[str]:
        """The references whose authorisation was declined (the checker's truth): read
        from `refusals` (only a decline refuses an authorisation), again only once
        another decline came. Nothing reads it while the day runs but the live twin's
        ground projection, which reads it between its steps."""
        if self._declined_at != self.declines:
            self._declined = {
                refusal.reference for refusal in self.refusals if refusal.operation == "authorize"
            }
            self._declined_at = self.declines
        return self._declined

    def _id(self, prefix: str) -> str:
        self._next += 1
        return _id_text(prefix, self._next)

    def _authorize(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if self._rng.random() < self.decline_rate:
            self.declines += 1
            self._refuse(
                "authorize", str(body["reference"]), "", int(body["amount"]), "card_declined"
            )
            return 402, {"error": "card_declined"}
        now = now_of(self._env)
        auth = Authorization(
            self._id("auth"),
            str(body["reference"]),
            int(body["amount"]),
            now,
            now + self.auth_ttl_s,
        )
        self.authorizations.add(auth.auth_id, auth)
        return 200, {"id": auth.auth_id, "status": "authorized"}

    def _capture(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        auth = self.authorizations.get(body["authorization"])
        amount = int(body["amount"])
        if auth is None:
            return 404, {"error": "no_such_authorization"}
        error = (
            "authorization_voided"
            if auth.voided
            else "authorization_expired"
            if now_of(self._env) > auth.expires_at
            else "amount_exceeds_authorization"
            if amount > auth.amount - auth.captured
            else ""
        )
        if error:
            self._refuse("capture", auth.reference, auth.auth_id, amount, error)
            return (409 if auth.voided else 402), {"error": error}
        auth = self._change(auth.auth_id, captured=amount)
        movement = MoneyMovement(
            self._id("cap"), auth.auth_id, auth.reference, amount, now_of(self._env)
        )
        self.captures.append(movement)
        return 200, {"id": movement.movement_id}

    def _refund(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        auth = self.authorizations.get(body["authorization"])
        amount = int(body["amount"])
        if auth is None:
            return 404, {"error": "no_such_authorization"}
        if amount > auth.captured - auth.refunded:
            self._refuse(
                "refund", str(body["reference"]), auth.auth_id, amount, "amount_exceeds_captured"
            )
            return 402, {"error": "amount_exceeds_captured"}
        auth = self._change(auth.auth_id, refunded=amount)
        movement = MoneyMovement(
            self._id("re"), auth.auth_id, str(body["reference"]), amount, now_of(self._env)
        )
        self.refunds.append(movement)
        return 200, {"id": movement.movement_id}

    def _void(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        auth = self.authorizations.get(body["authorization"])
        if auth is None:
            return 404, {"error": "no_such_authorization"}
        if auth.captured:
            self._refuse("void", auth.reference, auth.auth_id, 0, "already_captured")
            return 409, {"error": "already_captured"}
        auth = self._change(auth.auth_id, voided=True)
        self.voids.append(
            MoneyMovement(self._id("void"), auth.auth_id, auth.reference, 0, now_of(self._env))
        )
        return 200, {"id": auth.auth_id}

    def _change(
        self, auth_id: str, *, captured: int = 0, refunded: int = 0, voided: bool = False
    ) -> Authorization:
        """Capture, refund or void against an authorisation, in place (back in memory if
        it had left); then it may leave memory again until the next request for it."""
        auth = self.authorizations.for_update(auth_id)
        assert auth is not None  # the caller found it
        auth.captured += captured
        auth.refunded += refunded
        auth.voided = auth.voided or voided
        auth.changed_at = now_of(self._env)
        self.authorizations.finish(auth_id)
        return auth

    def _refuse(
        self, operation: str, reference: str, auth_id: str, amount: int, error: str
    ) -> None:
        self.refusals.append(
            Refusal(operation, reference, auth_id, amount, error, now_of(self._env))
        )
