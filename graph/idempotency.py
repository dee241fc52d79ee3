"""Idempotent mutations: the first request with a key acts and its outcome is stored; a
repeat gets the stored outcome and nothing happens again.

The outcome (what was made, what went wrong) is stored, not the payload: the payload is
built fresh from it, so a repeated `orderCreate` shows the order as it is now, as a
client retrying after a timeout wants. A key reused for a different request is refused
rather than silently returning an unrelated result.

Only accepted requests are stored (those that made or touched something): a request
refused with a userError changed nothing, and its key may be used again. A key is at
most `MAX_KEY_CHARS` characters, and the store is bounded: an answer is kept
`KEY_TTL_S` (as Shopify and Stripe keep theirs, a day), and at most `MAX_STORED_KEYS`
answers, the oldest going first. A live twin's own command log remembers the keys of
the commands it carried out for as long as the day lasts (scenarios/live/control.py).
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

from graph.context import GraphInfo
from graph.control import CommandKey, Outcome, Problem
from graph.errors import BadInput
from hub.adapters.read_model.records import IdempotencyRecord

#: the longest idempotency key accepted (docs/api.md "Limits")
MAX_KEY_CHARS = 255
#: how long a stored answer is kept, in wall-clock seconds
KEY_TTL_S = 24 * 3600.0
#: the most answers kept; past it the oldest go
MAX_STORED_KEYS = 100_000


def check_key(key: str) -> None:
    """A key longer than `MAX_KEY_CHARS` is the client's error, before anything is
    locked, looked up or stored under it."""
    if len(key) > MAX_KEY_CHARS:
        raise BadInput(
            f"idempotencyKey: expected at most {MAX_KEY_CHARS} characters, got {len(key)}",
            argument="input.idempotencyKey",
        )


def accepted(outcome: Outcome) -> bool:
    """Whether the request was carried out (so a retry must not act again): it made or
    touched something, or nothing went wrong."""
    return outcome.id is not None or not outcome.problems


def _problem(message: str, code: str) -> Outcome:
    return Outcome(problems=(Problem(("input", "idempotencyKey"), message, code),))


async def once(
    info: GraphInfo,
    mutation: str,
    key: str,
    request: dict[str, Any],
    act: Callable[[CommandKey], Awaitable[Outcome]],
) -> Outcome:
    """`act` makes the change, told its `CommandKey` (a durable twin commits it with the
    command, and answers a key it already has from its own log)."""
    check_key(key)
    ctx = info.context
    digest = hashlib.sha256(
        json.dumps([mutation, request], sort_keys=True, default=str).encode()
    ).hexdigest()
    command_key = CommandKey(key, mutation, digest)
    if ctx.control.read_only:
        return await act(command_key)  # refuses without effect; nothing worth storing
    if not key.strip():
        return _problem("expected a non-empty idempotency key", "INVALID")
    # one request per key at a time, so two concurrent retries cannot both act
    async with ctx.services.key_locks.hold(key):
        now = time.time()
        stored = await ctx.read_model.idempotency(key)
        if stored is not None and stored.stored_at >= now - KEY_TTL_S:
            if stored.mutation != mutation or stored.request_hash != digest:
                return _problem(
                    f"idempotency key {key!r} was already used for a different "
                    f"{stored.mutation} request",
                    "IDEMPOTENCY_KEY_REUSED",
                )
            return Outcome.from_json(stored.response)
        outcome = await act(command_key)
        if accepted(outcome):
            await ctx.read_model.put_idempotency(
                IdempotencyRecord(key, mutation, digest, outcome.to_json(), time.time()),
                expire_before=time.time() - KEY_TTL_S,
                max_keys=MAX_STORED_KEYS,
            )
        return outcome
