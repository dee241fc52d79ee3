"""`Transport` over HTTP: the hub's calls as POSTs to the twin's backends, its feeds
and notices as POSTs to the channels, its acknowledgements as the webhook's answer.

The client is aiohttp: a call costs about an eighth of httpx's CPU (0.31 ms a request,
client and server together, against 1.40 ms, measured on loopback), and a hub makes
three requests for every message it takes, so with httpx the reference hub's own event
loop, not the twin, set the pace of a run.

A call gets exactly one answer, as the port promises: the backend's status and body, a
504 when the hub's own timeout passes first, or a 503 when the connection is refused.
The timeout is in the twin's time (a timer of wall_ports.TwinTimers, never under
`MIN_CALL_TIMEOUT_WALL_S`): a twin that stalls while the call is with it has not kept
the hub waiting for the timeout, and a call timed out too soon would be looked up (and
written again) while the first attempt is still in the backend's queue. A call with
an access token carries it as `Authorization: Bearer TOKEN`.
Publishing is fire-and-forget for the core, so this adapter plays the broker:
it POSTs again, with backoff, until the channel takes the message or
`PUBLISH_ATTEMPTS` have failed (then it is counted, and the reconciliation's next full
feed repairs what a lost feed left stale).
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable, Coroutine
from typing import Any

import aiohttp

from hub.adapters.http.wall_ports import TwinClock, TwinTimers
from hub.ports import Body

Respond = Callable[[str, int, int, Body], None]
Acknowledge = Callable[[str, int], None]

#: a loaded machine's loopback must not look like a dead backend
MIN_CALL_TIMEOUT_WALL_S = 0.25
PUBLISH_ATTEMPTS = 8
PUBLISH_FIRST_BACKOFF_WALL_S = 0.05
PUBLISH_TIMEOUT = aiohttp.ClientTimeout(total=5.0)

log = logging.getLogger("retailtwin.hub")


class HttpTransport:
    def __init__(
        self,
        client: aiohttp.ClientSession,
        backends_url: str,
        clock: TwinClock,
        timers: TwinTimers,
        respond: Respond,
        acknowledge: Acknowledge,
    ) -> None:
        self._client = client
        self._base = backends_url.rstrip("/")
        self._clock = clock
        self._timers = timers
        self._respond = respond
        self._acknowledge = acknowledge
        self._tasks: set[asyncio.Task[None]] = set()
        self.publishes_failed = 0

    # -- the port -------------------------------------------------------------------

    def request(
        self,
        system: str,
        operation: str,
        body: Body,
        call_id: int,
        timeout_s: float,
        token: str | None = None,
    ) -> None:
        self._spawn(self._call(system, operation, dict(body), call_id, timeout_s, token))

    def publish(self, system: str, topic: str, body: Body) -> None:
        self._spawn(self._publish(system, topic, dict(body)))

    def acknowledge(self, source: str, message_id: int) -> None:
        self._acknowledge(source, message_id)

    # -- carrying it out ---------------------------------------------------------------

    def _spawn(self, work: Coroutine[Any, Any, None]) -> None:
        task = asyncio.get_running_loop().create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _call(
        self,
        system: str,
        operation: str,
        body: dict[str, Any],
        call_id: int,
        timeout_s: float,
        token: str | None,
    ) -> None:
        url = f"{self._base}/systems/{system}/{operation}"
        headers = {"Authorization": f"Bearer {token}"} if token is not None else None
        timed_out: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def expire() -> None:
            if not timed_out.done():
                timed_out.set_result(None)

        timer = self._timers.at(self._clock.now() + timeout_s, expire, MIN_CALL_TIMEOUT_WALL_S)
        post = asyncio.ensure_future(self._post(url, body, headers))
        try:
            await asyncio.wait((post, timed_out), return_when=asyncio.FIRST_COMPLETED)
        finally:  # answered, timed out, or the day closed under the call
            timer.cancel()
            timed_out.cancel()
            answered = post.done()
            if not answered:
                post.cancel()
        status, answer = post.result() if answered else (504, {"error": "timeout"})
        self._respond(system, call_id, status, answer)

    async def _post(
        self, url: str, body: dict[str, Any], headers: dict[str, str] | None
    ) -> tuple[int, dict[str, Any]]:
        try:
            async with self._client.post(url, json=body, headers=headers) as response:
                return response.status, await _json_body(response)
        except TimeoutError:  # the session's own limit, far beyond any call's timeout
            return 504, {"error": "timeout"}
        except aiohttp.ClientError as exc:
            return 503, {"error": f"connection refused: {exc}"}

    async def _publish(self, channel: str, topic: str, body: dict[str, Any]) -> None:
        backoff = PUBLISH_FIRST_BACKOFF_WALL_S
        url = f"{self._base}/channels/{channel}/{topic}"
        for _ in range(PUBLISH_ATTEMPTS):
            try:
                async with self._client.post(url, json=body, timeout=PUBLISH_TIMEOUT) as response:
                    if response.ok:
                        return
                    if 400 <= response.status < 500 and response.status != 429:
                        text = await response.text()
                        log.error("%s/%s refused a publish: %s", channel, topic, text)
                        break  # the channel will never take this body
            except (TimeoutError, aiohttp.ClientError):
                pass
            await asyncio.sleep(backoff)
            backoff *= 2
        self.publishes_failed += 1

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)


async def _json_body(response: aiohttp.ClientResponse) -> dict[str, Any]:
    text = await response.text()
    try:
        body = json.loads(text)
    except ValueError:
        return {"error": text[:200]}
    return body if isinstance(body, dict) else {"value": body}
