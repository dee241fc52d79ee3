"""The broker between the simulated systems and an external hub: every message the
network delivers to the hub is POSTed to `{hub}/webhooks/{source}`, at least once.

The simulated network has already applied the scenario's duplicates, reordering and
loss with redelivery by the time a message reaches this sender, so a duplicate here is
a second POST with the same `X-Message-Id`. What the sender adds is the broker's half
of at-least-once over HTTP: a message the hub does not acknowledge with a 2xx (an error
status, a refused connection, no answer within the timeout) is delivered again after a
backoff, for as long as the run lasts; whatever is still unacknowledged at the end is
counted, never dropped silently.

Up to `WINDOW` messages per source are in flight at once, taken from the source's queue
in the order the network delivered them, like a broker's prefetch: one at a time would
make the hub's round trip the ceiling of a source's throughput (at 1,000x, a store
estate's takings after an ERP outage queued for simulated hours behind 3 ms round
trips), and a hub must not count on arrival order anyway (the network reorders). A
redelivered message goes to the back of its source's queue.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from scenarios.twin.external.pace import WallPace
from simulators import contract

#: messages per source in flight at once
WINDOW = 8
#: most HTTP connections the broker keeps open to the hub
WEBHOOK_CONNECTIONS = 64
#: redelivery backoff in simulated seconds: the first retry, doubling to the ceiling
REDELIVERY_FIRST_S = 5.0
REDELIVERY_MAX_S = 300.0
#: least wall time a webhook POST may take before it counts as unanswered, whatever
#: the speed: a loaded machine's loopback must not look like a dead hub
MIN_POST_TIMEOUT_WALL_S = 5.0
#: simulated seconds a hub has to answer one webhook (at speed 600: 0.05 s wall, so
#: `MIN_POST_TIMEOUT_WALL_S` decides)
POST_TIMEOUT_SIM_S = 30.0


def correlation_id(source: str, message_id: int, payload: Mapping[str, Any]) -> str:
    """The business key of a message (the contract's `correlation_id`: an order, a
    return, a till transaction), or its message id when it has none."""
    # a source the contract does not name is one of several marketplaces, by its name:
    # it speaks the marketplace's dialect
    known = source if source in contract.SOURCES else "marketplace"
    return contract.correlation_id(known, payload) or str(message_id)


@dataclass(slots=True)
class Pending:
    """One message on its way to the hub."""

    source: str
    message_id: int
    body: bytes
    correlation: str
    attempts: int = 0


@dataclass(slots=True)
class WebhookCounts:
    """What the broker did, for the report: a hub that stops answering shows here."""

    delivered: int = 0
    #: POSTs the hub answered with a non-2xx status, or did not answer in time
    refused: int = 0
    unanswered: int = 0
    redelivered: int = 0
    #: messages given to the broker (duplicates from the network included)
    accepted: int = 0
    by_source: dict[str, int] = field(default_factory=dict)


class WebhookSender:
    """POSTs messages to the hub, `WINDOW` in flight per source, redelivering until a
    2xx. Without a `client`, the sender opens its own when it first POSTs (inside the
    event loop, where aiohttp wants it made, though the day it serves may be built
    before the loop runs) and closes it with `close`."""

    def __init__(
        self,
        hub_url: str,
        client: aiohttp.ClientSession | None,
        pace: WallPace,
        sim_now: Callable[[], float],
    ) -> None:
        self._hub_url = hub_url.rstrip("/")
        self._client = client
        self._owns_client = client is None
        self._pace = pace
        self._sim_now = sim_now
        self._queues: dict[str, deque[Pending]] = {}
        self._wake: dict[str, asyncio.Event] = {}
        self._workers: list[asyncio.Task[None]] = []
        #: messages waiting out a redelivery backoff
        self._backing_off = 0
        self._in_flight = 0
        #: simulated time the hub last acknowledged a message: what it does about that
        #: message (a call, a publish) comes after its 2xx, so its quiet starts here at
        #: the earliest (`ExternalHub.idle`)
        self.last_taken_at = 0.0
        self.counts = WebhookCounts()

    # -- what the twin hands over ----------------------------------------------------

    def send(self, source: str, message_id: int, payload: Mapping[str, Any]) -> None:
        """Queue a message for the hub (called from inside the simulation)."""
        body = json.dumps(payload, separators=(",", ":")).encode()
        item = Pending(source, message_id, body, correlation_id(source, message_id, payload))
        self.counts.accepted += 1
        self.counts.by_source[source] = self.counts.by_source.get(source, 0) + 1
        self._queue(item)

    def pending(self) -> int:
        """Messages not yet acknowledged: queued, in flight or backing off."""
        queued = sum(len(queue) for queue in self._queues.values())
        return queued + self._in_flight + self._backing_off

    async def deliver_now(self, source: str, message_id: int, payload: Mapping[str, Any]) -> bool:
        """POST one message outside the queues and say whether the hub took it (the
        runner's `day.started`, which must be acknowledged before the day can run)."""
        body = json.dumps(payload, separators=(",", ":")).encode()
        item = Pending(source, message_id, body, correlation_id(source, message_id, payload))
        return await self._post(item)

    async def close(self) -> None:
        for task in self._workers:
            task.cancel()
        await asyncio.gather(*self._workers, return_exceptions=True)
        self._workers.clear()
        if self._owns_client and self._client is not None:
            await self._client.close()
            self._client = None

    def _session(self) -> aiohttp.ClientSession:
        if self._client is None:
            connector = aiohttp.TCPConnector(limit=WEBHOOK_CONNECTIONS)
            self._client = aiohttp.ClientSession(connector=connector)
        return self._client

    # -- the broker -------------------------------------------------------------------

    def _queue(self, item: Pending) -> None:
        source = item.source
        queue = self._queues.get(source)
        if queue is None:
            queue = self._queues[source] = deque()
            self._wake[source] = asyncio.Event()
            self._workers += [asyncio.create_task(self._work(source)) for _ in range(WINDOW)]
        queue.append(item)
        self._wake[source].set()

    async def _work(self, source: str) -> None:
        queue, wake = self._queues[source], self._wake[source]
        while True:
            if not queue:
                wake.clear()
                await wake.wait()
                continue
            item = queue.popleft()
            self._in_flight += 1
            try:
                taken = await self._post(item)
            finally:
                self._in_flight -= 1
            if taken:
                self.counts.delivered += 1
                self.last_taken_at = self._sim_now()
            else:
                self._back_off(item)

    def _back_off(self, item: Pending) -> None:
        delay_s = min(REDELIVERY_MAX_S, REDELIVERY_FIRST_S * 2 ** (item.attempts - 1))
        self._backing_off += 1
        asyncio.get_running_loop().call_later(self._pace.wall(delay_s), self._redeliver, item)

    def _redeliver(self, item: Pending) -> None:
        self._backing_off -= 1
        self.counts.redelivered += 1
        self._queue(item)

    async def _post(self, item: Pending) -> bool:
        item.attempts += 1
        headers = {
            "content-type": "application/json",
            "x-message-id": str(item.message_id),
            "x-correlation-id": item.correlation,
            "x-retailtwin-sim-time": f"{self._sim_now():.6f}",
            "x-retailtwin-attempt": str(item.attempts),
        }
        seconds = max(MIN_POST_TIMEOUT_WALL_S, self._pace.wall(POST_TIMEOUT_SIM_S))
        url = f"{self._hub_url}/webhooks/{item.source}"
        try:
            async with self._session().post(
                url, data=item.body, headers=headers, timeout=aiohttp.ClientTimeout(total=seconds)
            ) as response:
                status = response.status
                await response.read()
        except (TimeoutError, aiohttp.ClientError):
            self.counts.unanswered += 1
            return False
        if 200 <= status < 300:
            return True
        self.counts.refused += 1
        return False
