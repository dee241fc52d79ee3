"""The message timeline: every delivery about an order or a return, as the wire carried it.

Middleware in a real estate stamps each message with a correlation id and the time it
was sent; a trace of an order is every message carrying its id, in order, with how long
each spent on the wire. The twin gets the same trace by watching its network: an
`ObservedNetwork` hands it each delivery, and each backend is wrapped so its answer can be
tied to the request it answers (a backend's reply rarely repeats the order id).

Recording costs memory and time, so it happens only when a read model is wanted:
`retailtwin run` without `--out` and `make bench` build the plain `Network` and pay
a test per message (`Network.observe`). Observing changes no draw and no schedule, so
a run's digest is the same with or without it.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Mapping
from functools import partial
from typing import TYPE_CHECKING, Any, Final

import simpy

from scenarios.twin.sim_ports import Backend
from simulators.network import Deliver, LinkProfile, LinkState, Network, Recorder
from simulators.rng import Streams
from simulators.rpc import Reply

if TYPE_CHECKING:
    # a type only: the read model's package brings its database layer (SQLAlchemy),
    # which `run --out` leaves to the process writing the read model
    from hub.adapters.read_model.records import TimelineRow

#: (order id, return id); either may be ""
Correlation = tuple[str, str]

# the keys are Final tuples of any length: compiled, each is a C static looped over by
# index, where a module's global is looked up in its dict and iterated as any object
#: fields that carry the source system's own time of the fact, by dialect
_SOURCE_TIME_KEYS: Final[tuple[str, ...]] = (
    "ts",
    "placed_at",
    "at",
    "createdAt",
    "cancelledAt",
    "openedAt",
)
_SOURCE_TIMES: Final = frozenset(_SOURCE_TIME_KEYS)
_ORDER_KEYS: Final[tuple[str, ...]] = (
    "order_ref",
    "orderRef",
    "mpOrderId",
    "ExternalRef",
    "OrderRef",
)
_RETURN_KEYS: Final[tuple[str, ...]] = ("rma", "returnId")
#: ERP document references we build (`INV-<order>`), see hub/adapters/erp.py
_ORDER_DOC_PREFIXES = ("INV-", "CXL-")
_RETURN_DOC_PREFIX = "CM-"
#: every key `correlate` reads an order or a return from (a counter return's `txn`
#: aside, which counts only with `kind` "return")
_CORRELATING: Final = frozenset(
    (*_ORDER_KEYS, *_RETURN_KEYS, "DocRef", "reference", "authorization")
)


class TimelineRecorder:
    """Collects timeline entries and per-source message lags during a run."""

    def __init__(self) -> None:
        #: the entries recorded since the last drain, their fields one after the other
        #: (`_WIDTH` an entry, a `TimelineRow`'s), made rows by `entries` and `drain`.
        #: Flat, so a run keeps no object per entry that the collector tracks: a tuple
        #: each (37,127 on steady-day) took the run's young generation over its
        #: threshold (`gc_tuning`), a collection of some 0.02 s that freed nothing
        self._fields: list[Any] = []
        #: seconds from a fact at its source to the hub receiving it, by source system
        self.source_lag_s: dict[str, array[float]] = {}
        #: the message id of every delivery recorded, to mark redeliveries: the network
        #: numbers every message it sends once, for the run, and a copy or a
        #: redelivery keeps its number and its link, so the number alone tells it
        self._delivered: set[int] = set()
        #: payment authorisation id -> order id; return id -> order id
        self._aliases: dict[str, str] = {}
        #: id(answer dict) -> (correlation, status) while a backend's reply is in flight
        self._answers: dict[int, tuple[Correlation, int]] = {}
        self._recorded = 0
        #: (body, kind, correlation) of the last `correlate`, for `correlate_again`
        self._last: tuple[Any, str, Correlation | None] = (None, "", None)

    # -- wiring -------------------------------------------------------------------------

    def network_type(
        self,
    ) -> Callable[[simpy.Environment, Streams, LinkProfile, Recorder | None], Network]:
        return partial(ObservedNetwork, observer=self)

    def wrap_backends(self, backends: Mapping[str, Backend]) -> dict[str, Backend]:
        return {name: ObservedBackend(backend, self) for name, backend in backends.items()}

    @property
    def entries(self) -> list[TimelineRow]:
        """The entries recorded since the last drain, as `TimelineRow`s (a new list)."""
        return _rows(self._fields)

    @entries.setter
    def entries(self, rows: list[TimelineRow]) -> None:
        self._fields = [value for row in rows for value in row]

    def drain(self) -> list[TimelineRow]:
        """Hand over the entries recorded since the last drain (they are written to the
        read model, so a live twin does not keep its whole timeline in memory)."""
        fields, self._fields = self._fields, []
        return _rows(fields)

    def drain_fields(self) -> list[Any]:
        """`drain`, the entries as recorded: their fields one entry after the other
        (`_WIDTH` an entry), which the read model binds as they are
        (`ReadModelWrites.append_timeline_fields`), no tuple made for an entry."""
        fields, self._fields = self._fields, []
        return fields

    # -- correlation --------------------------------------------------------------------

    def correlate(self, kind: str, body: Any) -> Correlation | None:
        """The order and return a message is about, from its body; None when it names
        neither. Remembered for the body until the next correlation or alias, because a
        request is correlated twice: on the wire (`delivered`) and by the backend it
        reaches (`ObservedBackend`), in that order, with nothing learnt in between."""
        fields = _as_dict(body)
        if fields is None:
            return None
        return self._correlate_fields(kind, body, fields)

    def _correlate_fields(
        self, kind: str, body: object, fields: dict[str, Any]
    ) -> Correlation | None:
        """`correlate` of a body read as the dict `fields` (`_as_dict`)."""
        if _CORRELATING.isdisjoint(fields) and not (
            fields.get("kind") == "return" and fields.get("txn")
        ):
            # most messages that name nothing (stock feeds, till sales) name none of
            # the keys looked at below: settled by one C-level pass over their keys
            correlation: Correlation | None = None
        else:
            correlation = self._correlate(kind, fields)
        self._last = (body, kind, correlation)
        return correlation

    def correlate_again(self, kind: str, body: Any) -> Correlation | None:
        """`correlate`, taken from the last correlation when it was of this very body
        and kind (and no alias was learnt since: `answering` forgets it)."""
        last_body, last_kind, correlation = self._last
        if body is last_body and kind == last_kind:
            return correlation
        return self.correlate(kind, body)

    def _correlate(self, kind: str, body: dict[str, Any]) -> Correlation | None:
        order = ""
        ret = ""
        # `body.get` on a dict, not a bound `get` nor a Mapping's: compiled, each is a
        # C call (CPyDict_Get) instead of a method looked up and called by name
        for key in _ORDER_KEYS:
            value = body.get(key)
            if value:
                order = str(value)
                break
        for key in _RETURN_KEYS:
            value = body.get(key)
            if value:
                ret = str(value)
                break
        if body.get("kind") == "return" and body.get("txn"):
            ret = str(body["txn"])  # a counter return: the till transaction is its id
        doc_ref = str(body.get("DocRef") or "")
        if doc_ref and not order and not ret:
            if doc_ref.startswith(_ORDER_DOC_PREFIXES):
                order = doc_ref.split("-", 1)[1]
            elif doc_ref.startswith(_RETURN_DOC_PREFIX):
                ret = doc_ref[len(_RETURN_DOC_PREFIX) :]
        reference = body.get("reference")
        if reference and not order and not ret:
            if kind == "refund":
                ret = str(reference)
            else:
                order = str(reference)
        authorization = body.get("authorization")
        if authorization and not order:
            order = self._aliases.get(str(authorization), "")
        if ret and not order:
            order = self._aliases.get(ret, "")
        if ret and order:
            self._aliases.setdefault(ret, order)
        if not order and not ret:
            return None
        return order, ret

    # -- recording ---------------------------------------------------------------------

    def observed(self, at: float, link: LinkState, message_id: int, body: Any, note: Note) -> None:
        """Record one delivery, at `at`, then deliver it: the network's `Observe`, called
        by `Network._arrive` with the note the message was sent with (`Note`). One
        Python frame per delivery, and no closure or partial per message. The entry of
        a delivery about an order or a return is made here too, not in a frame of its
        own (37,127 of steady-day's 58,652 deliveries have one)."""
        deliver, sent_at, kind, correlation, detail = note
        src = link.src
        dst = link.dst
        # every delivery of a run with --out comes here: plain loops and dict reads, no
        # generator or ABC check where a message is a dict (nearly all are)
        fields = _as_dict(body)
        if fields is not None and dst == "hub" and src != "hub":
            source_time = sent_at
            if not _SOURCE_TIMES.isdisjoint(fields):  # an answer carries none
                for time_key in _SOURCE_TIME_KEYS:
                    value = fields.get(time_key)
                    if isinstance(value, (int, float)):
                        source_time = value
                        break
            lags = self.source_lag_s.get(src)
            if lags is None:
                lags = self.source_lag_s[src] = array("d")
            lag = at - float(source_time)
            lags.append(lag if lag > 0.0 else 0.0)  # max(0.0, lag) without the call
        if correlation is None and fields is not None:
            correlation = self._correlate_fields(kind, body, fields)
        if correlation is not None:
            delivered = self._delivered
            duplicate = message_id in delivered
            delivered.add(message_id)
            if not detail and fields is not None:
                detail = str(
                    fields.get("status")
                    or fields.get("state")
                    or fields.get("type")
                    or fields.get("msg")
                    or fields.get("event")
                    or fields.get("kind")
                    or ""
                )
            self._recorded += 1
            self._fields.extend(
                (
                    self._recorded,
                    correlation[0],
                    correlation[1],
                    at,
                    sent_at,
                    src,
                    dst,
                    kind,
                    message_id,
                    duplicate,
                    detail,
                )
            )
        deliver(message_id, body)

    def answering(
        self, answer: dict[str, Any], correlation: Correlation | None, operation: str, status: int
    ) -> None:
        if correlation is None:
            return
        if operation == "authorize" and status < 300 and "id" in answer and correlation[0]:
            self._aliases[str(answer["id"])] = correlation[0]
            self._last = (None, "", None)  # an alias learnt: correlate afresh
        self._answers[id(answer)] = (correlation, status)

    def answered(self, answer: dict[str, Any]) -> None:
        self._answers.pop(id(answer), None)


#: the fields of a `TimelineRow`
_WIDTH = 11


def _as_dict(body: Any) -> dict[str, Any] | None:
    """A message's body as a dict to read its fields from: itself when it is one
    (every body of steady-day, black-friday, marketplace-settlement and returns-wave
    is), a copy of any other Mapping, None when it
    is no Mapping and so names nothing. Read through a dict, compiled, each `get` is a
    C call (CPyDict_Get) where a Mapping's is a method looked up and called by name.
    With the keys' Final tuples (above), correlating steady-day's messages at 0.25 took
    32.8M instructions instead of 53.3M, and recording its timeline about 115M instead
    of 141M (callgrind, compiled)."""
    if isinstance(body, dict):
        return body
    if isinstance(body, Mapping):
        return dict(body)
    return None


def _rows(fields: list[Any]) -> list[TimelineRow]:
    """Flat fields (`TimelineRecorder._fields`) as rows of `_WIDTH`, cut in C."""
    return list(zip(*[iter(fields)] * _WIDTH, strict=True))


#: what a message travels with in an observed network in place of its receiver's
#: `Deliver` (`simulators.network.Observe`), read back when it arrives: (deliver, sent
#: at, kind, correlation, detail). A plain tuple: one small allocation per message sent,
#: where a `partial` bound to the recorder cost about twice as much to make and to call
Note = tuple[Deliver, float, str, Correlation | None, str]


class ObservedNetwork(Network):
    """The network, with every delivery handed to a `TimelineRecorder` first.

    The network notes each message it sends and hands each arrival to the recorder
    (`Network.observe`); this subclass notes a call leg itself, with what the recorder
    knows of the answer it carries."""

    def __init__(
        self,
        env: simpy.Environment,
        streams: Streams,
        profile: LinkProfile,
        recorder: Recorder | None = None,
        *,
        observer: TimelineRecorder,
    ) -> None:
        super().__init__(env, streams, profile, recorder)
        self._observed_env = env
        self.observe(observer.observed)
        #: the recorder's answers in flight, read on each call leg (`answer_of`)
        self._answers = observer._answers

    def call_leg_on(
        self, link: LinkState, kind: str, payload: Any, deliver: Deliver, after_s: float = 0.0
    ) -> bool:
        answer = self._answers.get(id(payload))  # `TimelineRecorder.answer_of`
        if answer is None:
            correlation = None
            detail = "request" if link.src == "hub" else ""
        else:
            correlation, status = answer
            fields = _as_dict(payload)
            error = fields.get("error", "") if fields is not None else ""
            detail = f"answered {status}" + (f": {error}" if error else "")
        note: Any = (deliver, float(self._observed_env._now), kind, correlation, detail)
        # the base class named, not `super()`: no proxy object made for each message
        return Network.call_leg_on(self, link, kind, payload, note, after_s)


class ObservedBackend:
    """A backend whose answers are tied to the request they answer."""

    __slots__ = ("_backend", "_observer")

    def __init__(self, backend: Backend, observer: TimelineRecorder) -> None:
        self._backend = backend
        self._observer = observer

    def handle(self, operation: str, body: dict[str, Any], reply: Reply) -> None:
        observer = self._observer
        correlation = observer.correlate_again(operation, body)
        if correlation is None:  # an answer about nothing traced: nothing to tie
            self._backend.handle(operation, body, reply)
            return

        def answered(status: int, answer: dict[str, Any], delay_s: float = 0.0) -> None:
            observer.answering(answer, correlation, operation, status)
            try:
                reply(status, answer, delay_s)
            finally:
                observer.answered(answer)

        self._backend.handle(operation, body, answered)
