"""The network between systems: message-oriented middleware with per-link behaviour.

Like real middleware, every link delivers at least once. A link is FIFO at heart
(a message never overtakes an earlier one on its own) but, with the scenario's small
baseline probabilities, a message may be delivered twice, held back so later ones
overtake it (reordering), or lost and redelivered by the broker minutes later. Faults
raise those probabilities for a window, slow a link down, throttle it to a message
rate, or cut it: during an outage the broker holds messages and delivers them, in
order, when the link heals. Nothing sent is ever dropped for good.

Each kind of message on each link draws from its own random stream (common random
numbers): what happens to the storefront's `order.created` messages depends on the
seed and on how many the storefront sent before, never on when the hub called the ERP.
Two hub designs, or an external hub run against the wall clock, then meet the same
losses, duplicates and delays on what the systems send them, and a comparison measures
the designs rather than two samples of the network.
"""

from __future__ import annotations

import random
from array import array
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import simpy

from compiled_build import mypyc_attr
from simulators.later import Later
from simulators.rng import LogNormal, Streams

Deliver = Callable[[int, Any], None]
#: (delivered at, link number, message id): what the run's digest is made of
Recorder = Callable[[float, int, int], None]
#: (delivered at, link, message id, payload, note): a delivery handed to an observer in
#: place of its receiver's `Deliver` (`Network.observe`); the note is what the message
#: was sent with: (the receiver's deliver, sent at, kind, and what a sender's override
#: of `call_leg_on` adds, else None and "")
Observe = Callable[[float, "LinkState", int, Any, Any], None]
#: entries of a `DeliveryLog`'s ids in a block (a link number and a message id for each
#: delivery): 4,096 deliveries
BLOCK_IDS = 8192


# subclassed outside the compiled build (the twin's digest recorder, when that is not
# compiled): mypyc allows it only when told
@mypyc_attr(allow_interpreted_subclasses=True)
class DeliveryLog:
    """A `Recorder` that keeps the deliveries in machine arrays, in order, and hands on
    a block of them at a time (`full`: the twin's digest hashes it).

    The network appends to the arrays itself (`Network._arrive`): a call less on each
    of a run's deliveries, which are most of its events. Calling the log notes a
    delivery the same way, for a network that overrides `_arrive`."""

    __slots__ = ("ids", "times")

    def __init__(self) -> None:
        self.times = array("d")
        #: each delivery's link number, then its message id
        self.ids = array("q")

    def __call__(self, at: float, link: int, message_id: int) -> None:
        self.times.append(at)
        ids = self.ids
        ids.append(link)
        ids.append(message_id)
        if len(ids) >= BLOCK_IDS:
            self.full()

    def full(self) -> None:
        """Take the deliveries noted so far (a block, or fewer at the end) and start
        anew: new arrays, or these emptied."""
        raise NotImplementedError


@dataclass(slots=True)
class LinkState:
    name: str
    #: the link's number in creation order (stable for a given run)
    number: int
    duplicate_rate: float
    reorder_rate: float
    loss_rate: float
    last_delivery: float = 0.0
    down: bool = False
    held: list[tuple[int, str, Any, Deliver]] = field(default_factory=list)
    #: the random draws of each kind of message on this link, made when first sent
    draws: dict[str, Draws] = field(default_factory=dict)
    slow_factor: float = 1.0
    #: minimum seconds between deliveries while throttled (0: not throttled)
    throttle_gap_s: float = 0.0
    src: str = ""
    dst: str = ""
    sent: int = 0
    duplicated: int = 0
    reordered: int = 0
    lost: int = 0


@dataclass(frozen=True, slots=True)
class LinkProfile:
    latency_median_s: float
    latency_p95_s: float
    duplicate_rate: float
    reorder_rate: float
    reorder_delay_s: float
    loss_rate: float
    redelivery_delay_s: float


@dataclass(frozen=True, slots=True)
class Draws:
    """One kind of message's random stream on one link, and its latency sampler."""

    rng: random.Random
    #: a `LogNormal`'s bound `draw`, the cheaper call (one draw per message)
    latency: Callable[[], float]


# subclassed outside the compiled build (scenarios/twin/timeline.py's ObservedNetwork)
@mypyc_attr(allow_interpreted_subclasses=True)
class Network:
    def __init__(
        self,
        env: simpy.Environment,
        streams: Streams,
        profile: LinkProfile,
        recorder: Recorder | None = None,
    ) -> None:
        self._env = env
        self._streams = streams
        self._profile = profile
        self._links: dict[tuple[str, str], LinkState] = {}
        self._recorder = recorder
        #: the recorder, when `_arrive` can append to its arrays itself
        self._log = recorder if isinstance(recorder, DeliveryLog) else None
        #: what every delivery is handed to instead of its receiver, when observed
        self._observe: Observe | None = None
        self._next_id = 0
        #: copies scheduled for delivery and not yet delivered (held ones not included)
        self.in_flight = 0

    def observe(self, observe: Observe) -> None:
        """Hand every message sent from now on to `observe` when it arrives, with a note
        of when it was sent and its kind, instead of to its receiver; `observe` delivers
        it. The fields come from the network's own sending and arrival, so recording a
        delivery costs no wrapper per message nor a subclass's frame on each; a network
        not observed pays one test per message (the twin's message timeline,
        scenarios/twin/timeline.py)."""
        self._observe = observe

    def link(self, src: str, dst: str) -> LinkState:
        key = (src, dst)
        state = self._links.get(key)
        if state is None:
            p = self._profile
            state = LinkState(
                f"{src}->{dst}",
                len(self._links),
                p.duplicate_rate,
                p.reorder_rate,
                p.loss_rate,
                src=src,
                dst=dst,
            )
            self._links[key] = state
        return state

    def draws(self, link: LinkState, kind: str) -> Draws:
        """`kind`'s stream on `link`, named after both so it is the same in every run of
        the seed whatever else the network carried first."""
        draws = link.draws.get(kind)
        if draws is None:
            rng = self._streams.get(f"network:{link.name}:{kind}")
            p = self._profile
            draws = Draws(rng, LogNormal(rng, p.latency_median_s, p.latency_p95_s).draw)
            link.draws[kind] = draws
        return draws

    def links(self) -> list[LinkState]:
        return list(self._links.values())

    def send(self, src: str, dst: str, kind: str, payload: Any, deliver: Deliver) -> int:
        """Send a message; `deliver(message_id, payload)` runs at the receiver, at least
        once. Returns the message id (the same id on every copy)."""
        return self.send_on(self.link(src, dst), kind, payload, deliver)

    def send_on(self, link: LinkState, kind: str, payload: Any, deliver: Deliver) -> int:
        """`send` on a link the caller already holds (senders keep theirs)."""
        self._next_id += 1
        message_id = self._next_id
        link.sent += 1
        # observed: the message carries a note (`Observe`) where it carries its deliver
        sent: Any = (
            deliver if self._observe is None else (deliver, float(self._env._now), kind, None, "")
        )
        if link.down:
            link.held.append((message_id, kind, payload, sent))
            return message_id
        self._dispatch(link, message_id, kind, payload, sent)
        return message_id

    def call_leg(self, src: str, dst: str, kind: str, payload: Any, deliver: Deliver) -> bool:
        """One leg of a request/response call (HTTP, not a broker): latency and slowness
        apply, but no duplicates, reordering or redelivery. False if the link is cut
        (connection refused)."""
        return self.call_leg_on(self.link(src, dst), kind, payload, deliver)

    def call_leg_on(
        self, link: LinkState, kind: str, payload: Any, deliver: Deliver, after_s: float = 0.0
    ) -> bool:
        """`call_leg` on a link the caller already holds, leaving `after_s` from now (the
        time the sender still spends working before it answers). Observed, `deliver` is
        the note (`Observe`): a network observing calls overrides this to make it."""
        if link.down:
            return False
        self._next_id += 1
        link.sent += 1
        draws = link.draws.get(kind) or self.draws(link, kind)
        self.in_flight += 1
        Later(
            self._env,
            after_s + draws.latency() * link.slow_factor,
            self._arrive,
            (link, self._next_id, payload, deliver),
        )
        return True

    def quiet(self) -> bool:
        """Nothing on the wire and nothing held by a cut link."""
        return self.in_flight == 0 and not any(link.held for link in self._links.values())

    def is_down(self, src: str, dst: str) -> bool:
        return self.link(src, dst).down

    def _dispatch(
        self, link: LinkState, message_id: int, kind: str, payload: Any, deliver: Deliver
    ) -> None:
        env = self._env
        now = env._now
        draws = link.draws.get(kind) or self.draws(link, kind)
        rng = draws.rng
        at = now + draws.latency() * link.slow_factor
        if link.throttle_gap_s:
            at = max(at, link.last_delivery + link.throttle_gap_s)
        if at < link.last_delivery:
            at = link.last_delivery
        link.last_delivery = at
        draw = rng.random()
        if draw < link.reorder_rate:
            link.reordered += 1
            at += rng.uniform(0.5, 1.0) * self._profile.reorder_delay_s
        elif draw < link.reorder_rate + link.loss_rate:
            link.lost += 1
            at += rng.expovariate(1.0 / self._profile.redelivery_delay_s)
        arrival = (link, message_id, payload, deliver)
        self.in_flight += 1
        Later(env, at - now, self._arrive, arrival)
        if rng.random() < link.duplicate_rate:
            link.duplicated += 1
            again = at + rng.uniform(0.01, 1.0) * self._profile.reorder_delay_s
            self.in_flight += 1
            Later(env, again - now, self._arrive, arrival)

    def _arrive(self, event: Later) -> None:
        # every message's every copy comes through here (most of a run's events): the
        # schedulers above build its value inline, and it reads SimPy's clock directly,
        # once. The event, the link and the id are typed so that, compiled, reading them
        # is a native field read rather than a lookup by name
        self.in_flight -= 1
        link: LinkState
        message_id: int
        link, message_id, payload, deliver = event._value
        now = self._env._now
        number = link.number
        log = self._log
        if log is not None:  # `DeliveryLog.__call__`, inlined: a call less per delivery
            log.times.append(now)
            ids = log.ids
            ids.append(number)
            ids.append(message_id)
            if len(ids) >= BLOCK_IDS:
                log.full()
        elif self._recorder is not None:
            self._recorder(now, number, message_id)
        observe = self._observe
        if observe is None:
            deliver(message_id, payload)
        else:  # `deliver` is the message's note
            observe(float(now), link, message_id, payload, deliver)

    # -- faults ----------------------------------------------------------------------

    def cut(self, src: str, dst: str) -> None:
        self.link(src, dst).down = True

    def heal(self, src: str, dst: str) -> None:
        """Restore a link; the broker delivers what it held, in order."""
        link = self.link(src, dst)
        link.down = False
        held, link.held = link.held, []
        for message_id, kind, payload, deliver in held:
            self._dispatch(link, message_id, kind, payload, deliver)

    def set_rates(
        self,
        src: str,
        dst: str,
        duplicate: float | None = None,
        reorder: float | None = None,
        loss: float | None = None,
    ) -> None:
        link = self.link(src, dst)
        if duplicate is not None:
            link.duplicate_rate = duplicate
        if reorder is not None:
            link.reorder_rate = reorder
        if loss is not None:
            link.loss_rate = loss

    def baseline(self) -> LinkProfile:
        return self._profile
