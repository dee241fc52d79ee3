"""What can go wrong in the estate: every kind of fault, the targets it can hit, what its
`rate` means and what it does there. The one table of fault kinds.

A scenario's `[[faults]]` (validated by `scenarios.spec`), the fault schedule that
switches faults on and off (`scenarios.twin.faults`), the API's `faultInject` input and
the table in docs/scenarios.md all read this module, so a new kind is added here once
and cannot reach one of them unknown: the schedule refuses a kind it has no switch for,
and a test holds each reader to the table.

Targets are written as a scenario writes them: a backend (`erp`, `wms`, `pos`,
`payment`, `marketplace`, and `tax` and `fraud` in an estate with them), `link:SRC->DST` for
the network between two systems, and `pos:REGION` for one region's stores.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum

from simulators.credentials import GUARDABLE

__all__ = [
    "BACKENDS",
    "BROKER_ONLY_KINDS",
    "HUB",
    "KINDS",
    "LINK",
    "LINK_FAULTS",
    "LINK_SYSTEMS",
    "REGION",
    "REGION_FAULTS",
    "RULES",
    "SYSTEMS",
    "SYSTEM_FAULTS",
    "TOKEN_KINDS",
    "FaultKind",
    "FaultRule",
    "KindInfo",
    "RateRule",
]


class FaultKind(StrEnum):
    OUTAGE = "outage"
    THROTTLE = "throttle"
    DUPLICATE = "duplicate"
    REORDER = "reorder"
    LOSS = "loss"
    SLOW = "slow"
    OFFLINE = "offline"
    DECLINE = "decline"
    EXPIRE = "expire"
    CRASH = "crash"
    REVOKE = "revoke"
    AUTH_OUTAGE = "auth_outage"


class RateRule(Enum):
    """What a kind's `rate` must be."""

    UNUSED = "unused"
    #: greater than 0 (a rate per second, a multiplier)
    POSITIVE = "greater than 0"
    #: from 0 to 1
    PROBABILITY = "a probability from 0 to 1"
    #: 0 or more seconds
    SECONDS = "seconds, 0 or more"


@dataclass(frozen=True, slots=True)
class KindInfo:
    rate: RateRule
    #: one line for the API's description of the kind
    summary: str


KINDS: dict[FaultKind, KindInfo] = {
    FaultKind.OUTAGE: KindInfo(RateRule.UNUSED, "a backend, link or the stores go down"),
    FaultKind.THROTTLE: KindInfo(
        RateRule.POSITIVE, "an API or a broker link is limited to `rate` per second"
    ),
    FaultKind.DUPLICATE: KindInfo(
        RateRule.PROBABILITY, "a broker link delivers messages twice with probability `rate`"
    ),
    FaultKind.REORDER: KindInfo(
        RateRule.PROBABILITY, "a broker link holds messages back with probability `rate`"
    ),
    FaultKind.LOSS: KindInfo(
        RateRule.PROBABILITY,
        "a broker link loses messages (redelivered later) with probability `rate`",
    ),
    FaultKind.SLOW: KindInfo(RateRule.POSITIVE, "answers or deliveries take `rate` times longer"),
    FaultKind.OFFLINE: KindInfo(RateRule.UNUSED, "stores lose their connection and keep trading"),
    FaultKind.DECLINE: KindInfo(
        RateRule.PROBABILITY, "the payment gateway declines with probability `rate`"
    ),
    FaultKind.EXPIRE: KindInfo(RateRule.SECONDS, "new payment authorizations live `rate` seconds"),
    FaultKind.CRASH: KindInfo(
        RateRule.UNUSED, "the hub's process dies, and restarts from its store when it ends"
    ),
    FaultKind.REVOKE: KindInfo(
        RateRule.UNUSED, "every access token the backend issued stops working at the start"
    ),
    FaultKind.AUTH_OUTAGE: KindInfo(
        RateRule.UNUSED, "the backend's token endpoint issues no token: answers 503"
    ),
}
#: kinds that act on a backend's access tokens: only where its API wants one
TOKEN_KINDS = frozenset({FaultKind.REVOKE, FaultKind.AUTH_OUTAGE})

#: backends a fault can name directly
BACKENDS = ("erp", "wms", "pos", "payment", "marketplace", "tax", "fraud")
#: the integration hub under test: its process can crash
HUB = "hub"
#: every system a fault can name directly (the others are links and store regions)
SYSTEMS = (*BACKENDS, HUB)
#: systems a `link:SRC->DST` target may join
LINK_SYSTEMS = (*BACKENDS, "web", HUB)
#: the target forms that are not a backend's name
LINK, REGION = "link:SRC->DST", "pos:REGION"


@dataclass(frozen=True, slots=True)
class FaultRule:
    """One kind of fault on some targets: what `rate` means there and what happens
    during the window (a row of docs/scenarios.md's table)."""

    kinds: tuple[FaultKind, ...]
    targets: tuple[str, ...]
    rate_means: str
    effect: str
    #: on a link: acts on broker messages only (calls are never duplicated, reordered,
    #: lost and redelivered, nor spaced out by the broker)
    broker_only: bool = False


_OUTAGE_EFFECT = (
    "the backend answers every request 503. ERP and gateway work already queued also "
    "answers 503. The WMS floor keeps picking and shipping. The marketplace keeps "
    "selling: only its seller API (acknowledgements) is down. The tax engine quotes, "
    "commits and reverses nothing: the hub's `tax_fallback` decides what its orders do. "
    "The fraud screen scores nothing (its analysts keep deciding the cases they have)."
)
_OFFLINE_EFFECT = (
    "every store in the region stops sending to the hub (it queues) and stops answering "
    "the hub's calls (they time out). On reconnect the backlog is uploaded shuffled over "
    "`reconnect_upload_spread`. Tills keep trading."
)

RULES: tuple[FaultRule, ...] = (
    FaultRule(
        (FaultKind.OUTAGE,),
        ("erp", "wms", "payment", "marketplace", "tax", "fraud"),
        "unused",
        _OUTAGE_EFFECT,
    ),
    FaultRule(
        (FaultKind.OUTAGE,),
        (LINK,),
        "unused",
        "broker messages on the link are held and delivered in order when it heals. A "
        "hub->backend request is refused (503 after 0.05 s). A backend->hub answer is lost "
        "(the hub sees 504 at its timeout).",
    ),
    FaultRule(
        (FaultKind.THROTTLE,),
        ("erp", "marketplace", "tax"),
        "requests per second",
        "replaces the API's `rate_limit_per_s` (429 beyond it, `retry_after_s = 1/rate`)",
    ),
    FaultRule(
        (FaultKind.THROTTLE,),
        (LINK,),
        "messages per second",
        "broker messages are spaced at least 1/rate seconds apart",
        broker_only=True,
    ),
    FaultRule(
        (FaultKind.SLOW,),
        ("erp",),
        "service-time multiplier",
        "each request's service time is multiplied",
    ),
    FaultRule(
        (FaultKind.SLOW,),
        ("payment",),
        "latency multiplier",
        "every answer's latency is multiplied (median 0.3 s x rate). The gateway commits a "
        "request as it takes it, so an answer that comes after the hub's `call_timeout` is a "
        "timeout whose work was done: the retry, under the same idempotency key, gets the "
        "first answer again.",
    ),
    FaultRule(
        (FaultKind.SLOW,),
        ("tax",),
        "latency multiplier",
        "every answer's latency is multiplied (median `service_time_median` x rate). The "
        "engine records a commit or a reversal as it takes it, so an answer after the hub's "
        "`call_timeout` is a timeout whose work was done: the retry, under the same document "
        "code, gets the first answer again.",
    ),
    FaultRule(
        (FaultKind.SLOW,),
        ("fraud",),
        "latency multiplier",
        "the screen's answers and its analysts' reviews (of cases opened in the window) "
        "take `rate` times as long",
    ),
    FaultRule(
        (FaultKind.SLOW,),
        (LINK,),
        "latency multiplier",
        "both broker messages and request/response legs",
    ),
    FaultRule(
        (FaultKind.DUPLICATE, FaultKind.REORDER, FaultKind.LOSS),
        (LINK,),
        "probability",
        "replaces the link's baseline rate of that kind",
        broker_only=True,
    ),
    FaultRule((FaultKind.OFFLINE,), (REGION,), "unused", _OFFLINE_EFFECT),
    FaultRule(
        (FaultKind.OFFLINE, FaultKind.OUTAGE),
        ("pos",),
        "unused",
        "the same as a region going offline, for every store",
    ),
    FaultRule((FaultKind.DECLINE,), ("payment",), "probability", "replaces `decline_rate`"),
    FaultRule(
        (FaultKind.CRASH,),
        (HUB,),
        "unused",
        "the hub's process dies: everything it held in memory (calls in flight, timers, "
        "whatever it had not committed) is lost, and messages for it wait at the broker. "
        "When the window ends it restarts from its durable store: it replays its journal, "
        "arms its timers again, treats calls it never heard back about as timed out, and "
        "the broker delivers again every message it had not acknowledged.",
    ),
    FaultRule(
        (FaultKind.REVOKE,),
        GUARDABLE,
        "unused",
        "at the window's start every access token the backend's API issued is revoked: "
        "each call with one is answered 401 `invalid_token` until the hub gets a new one "
        "(the token endpoint works). Only where `token_lifetime` is set.",
    ),
    FaultRule(
        (FaultKind.AUTH_OUTAGE,),
        GUARDABLE,
        "unused",
        "the backend's token endpoint answers 503 `temporarily_unavailable` for the "
        "window (the API behind it works): a token that expires meanwhile cannot be "
        "renewed, and its calls wait. Only where `token_lifetime` is set.",
    ),
    FaultRule(
        (FaultKind.EXPIRE,),
        ("payment",),
        "TTL in **seconds** (a number, not a duration string)",
        "authorisations created in the window get this TTL. The default `rate = 0` makes "
        "them expire at once. A capture refused as expired makes the hub re-authorise (a "
        "new key each time, at most 3 times) and capture again.",
    ),
)


def _kinds_on(target: str) -> tuple[FaultKind, ...]:
    """The kinds some rule allows on `target`, in FaultKind's order."""
    allowed = {kind for rule in RULES if target in rule.targets for kind in rule.kinds}
    return tuple(kind for kind in FaultKind if kind in allowed)


#: kinds each system named directly can have
SYSTEM_FAULTS: dict[str, tuple[FaultKind, ...]] = {t: _kinds_on(t) for t in SYSTEMS}
#: kinds a store region (`pos:REGION`) can have
REGION_FAULTS = _kinds_on(REGION)
#: kinds a link (`link:SRC->DST`) can have
LINK_FAULTS = _kinds_on(LINK)
#: link kinds that act on broker messages only
BROKER_ONLY_KINDS = frozenset(
    kind for rule in RULES if LINK in rule.targets and rule.broker_only for kind in rule.kinds
)
