"""Idempotent mutations: the first request with a key acts and its outcome is stored; a
repeat gets the stored outcome and nothing happens again.

The outcome (what was made, what went wrong) is stored, not the payload: the payload is
built fresh from it, so a repeated `orderCreate` shows the order as it is now, as a
client retrying after a timeout wants. A key reused for a different request is refused
rather than silently returning an unrelated result.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Awaitable, Callable
from typing import Any

from graph.context import GraphInfo
from graph.control import CommandKey, Outcome, Problem
from hub.adapters.read_model.records import IdempotencyRecord


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
    async with ctx.services.key_locks.setdefault(key, asyncio.Lock()):
        stored = await ctx.read_model.idempotency(key)
        if stored is not None:
            if stored.mutation != mutation or stored.request_hash != digest:
                return _problem(
                    f"idempotency key {key!r} was already used for a different "
                    f"{stored.mutation} request",
                    "IDEMPOTENCY_KEY_REUSED",
                )
            return Outcome.from_json(stored.response)
        outcome = await act(command_key)
        await ctx.read_model.put_idempotency(
            IdempotencyRecord(key, mutation, digest, outcome.to_json())
        )
        return outcome
