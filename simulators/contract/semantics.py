"""What the contract means beyond its schemas, in words: the document's introduction
and the note on every backend operation.

Why words: a schema says what a body looks like, not that an answer can be lost after
the work was done, which backends let a retry be safe, or how the checker will judge a
hub. These are the parts of the contract an integration fails on, so they are written
once here and placed where a reader of the document will look.
"""

from __future__ import annotations

__all__ = ["INTRO", "LOST"]

LOST = (
    "The answer may be slow (network latency, the backend's queue, a `slow` fault) and "
    "may be lost: the backend did the work and the answer never comes (a lost response, "
    "a store offline, a cut link). Your own timeout decides; after it, the effect may or "
    "may not have happened. The twin holds a lost answer's connection for 600 simulated "
    "seconds (at least 5 wall seconds), then answers 504."
)

INTRO = """\
The boundary a hub under test integrates across, as the twin serves it. Any hub, in
any language, that speaks this contract is judged by the same checker as the built-in
one: from the backends' own records, never from what the hub believes.

**Layout.** The backends: `POST /systems/{system}/{operation}` with a JSON object; the
answer is the simulated backend's own status and body. The channels: `POST
/channels/{channel}/{topic}` publishes to a sales channel (answered 202). `GET /clock`
tells where simulated time stands. The twin sends the hub messages as webhooks, `POST
{hub}/webhooks/{source}` (the `webhooks` section); the first is `day.started` from source
`twin`, with the run's locations and opening stock.

**Time.** Every time in a body is simulated seconds since the run's start. The twin runs
at `speed` simulated seconds per wall second (`GET /clock`, `day.started`); headers say
where wall and simulated time differ (`Retry-After` in wall seconds,
`X-Retailtwin-Retry-After-Sim-S` in simulated ones).

**Answers.** Besides each operation's own answers: 429 (`Throttled`, with `Retry-After`)
when a rate limit or a full queue refuses the call, 503 when the backend is down; in
both nothing was done. The HTTP face refuses before a body reaches a backend: 400 when
it is not a JSON object, 404 for an unknown system or operation, 422 (`Problems`) when
it breaks the operation's request schema. Any answer may be slow, and may be lost after
the backend did the work: your timeout decides, and the effect is then unknown.

**Retrying safely.** The ERP books a second document when a write arrives twice, unless
the scenario sets `backends.erp.idempotent_refs` (then a DocRef booked before answers 200
with the first document); `find_document` tells whether a write's DocRef was booked. The
payment gateway honours `idempotency_key`: a key seen before gets the first answer again
and moves no money; without a key a retry charges or refunds twice. The WMS and the
stores refuse a second release or pickup of the same order with 409, and a second
`expect_return`, `cancel_release` or marketplace `acknowledge` changes nothing. In the
ERP's `legacy_batch` mode writes are answered 202 and booked at the next import run;
each outcome arrives as an `import_result` message.

**Credentials.** A run may guard the ERP's and the marketplace's APIs with expiring
OAuth 2.0 access tokens: `day.started`'s `topology.credentials` lists the guarded
systems. Ask the system's `auth.token` for a token (client-credentials grant), send it
as `Authorization: Bearer TOKEN` with every other call to it, and renew it before
`expires_in` runs out. A call without a live token is answered 401 `invalid_token` and
does nothing: get a new token and send it again. The time the hub spends refused is
measured and may be limited (`unauthorised_max`).

**Messages.** At least once: acknowledge with a 2xx; anything else, or silence past the
timeout, and the message comes again, with the same `X-Message-Id`. The network adds the
scenario's duplicates, reordering and late redeliveries; stores that were offline upload
their backlog late and shuffled; the marketplace pushes an unacknowledged order again
under a new message id. Deduplicate on `X-Message-Id` and on business keys; order by what
the messages carry (stock reports' `seq`, their times).

**How a hub is judged.** Exactly once: one ERP sales order per channel order
(`ExternalRef`), one document per `DocRef`, one capture per shipped order (credited to the
authorisation's `reference`, the channel's order ref), one refund (`reference`: the return
id) and one credit memo (`DocRef` `CM-{return id}`) per refunded return. No lost order:
every order a channel accepted reaches the ERP. No status regression: taken in version
order, an order's notices to its channel never go back in the order their `status` enum
lists. Convergence: after the drain,
the ERP's stock ledger equals the locations' counts and every channel's view equals the
hub's available-to-sell. Money balances: the journal's cash equals what the gateway and
the tills moved. Write-offs (`post_goods_movement` with reason `inventory_difference`)
count as ERP ledger drift.
"""
