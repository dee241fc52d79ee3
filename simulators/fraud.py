"""The fraud screen: a score for every order, and a team of analysts for the risky ones.

Retailers put a fraud service (Signifyd, Riskified, Kount) between payment and
fulfilment: the hub sends it an authorised order and gets back `accept` (ship it) or
`review` (an analyst will decide; hold it). Analysts work the review queue at their own
pace and send the hub their decision as a message: `approve` (release it) or `reject`
(cancel it, and give everything back). The screen knows which orders really were
fraudulent (its truth, the checker's too: a deterministic draw per order reference from
the run's seed), sends most of them and a few genuine ones to review, and its analysts
are right most of the time. A held genuine order is a false hold; the checker counts
them.

The screen answers the same reference with its first answer again (a retry after a
timeout opens no second case). Latency, outages and a slowdown (of the API and of the
analysts alike) come from the scenario and its faults.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from typing import Any

import simpy

from simulators.rng import LogNormal
from simulators.rpc import Operation, Reply, dispatch
from simulators.service import ServiceStation
from simulators.types import Emit

#: every operation `FraudScreen.handle` accepts; `simulators.contract.fraud` documents it
OPERATIONS = ("screen",)
#: the screen's answers, and the analysts' decisions
ACCEPT, REVIEW = "accept", "review"
APPROVE, REJECT = "approve", "reject"


@dataclass(frozen=True, slots=True)
class FraudConfig:
    #: the share of orders that are fraudulent (the truth)
    fraud_rate: float
    #: of fraudulent orders, the share the model sends to review (the rest it accepts)
    detection_rate: float
    #: of genuine orders, the share the model sends to review anyway
    false_review_rate: float
    analysts: int
    review_time_median_s: float
    review_time_p95_s: float
    #: the probability an analyst decides a case wrong
    analyst_error_rate: float
    service_time_median_s: float


@dataclass(slots=True)
class ReviewCase:
    case_id: str
    reference: str
    opened_at: float
    fraudulent: bool
    #: "approve" or "reject" once an analyst decided ("" while in the queue)
    decision: str = ""
    decided_at: float = -1.0


@dataclass(slots=True)
class FraudScreen:
    env: simpy.Environment
    rng: random.Random
    config: FraudConfig
    #: salts the per-order draw of the truth, so it is the run's seed's own
    salt: str
    emit: Emit
    slow_factor: float = 1.0
    down: bool = False
    #: reference -> the screen's first answer ("accept" or "review"), and when
    screened: dict[str, str] = field(default_factory=dict)
    screened_at: dict[str, float] = field(default_factory=dict)
    #: reference -> its review case
    cases: dict[str, ReviewCase] = field(default_factory=dict)
    analysts: ServiceStation = field(init=False)
    _latency: LogNormal = field(init=False)
    _operations: dict[str, Operation] = field(init=False)

    def __post_init__(self) -> None:
        config = self.config
        review = LogNormal(self.rng, config.review_time_median_s, config.review_time_p95_s)
        self.analysts = ServiceStation(self.env, config.analysts, review)
        median = config.service_time_median_s
        self._latency = LogNormal(self.rng, median, median * 4)
        self._operations = {"screen": self._screen}

    def is_fraudulent(self, reference: str) -> bool:
        """The truth about an order, whoever asks and whether or not it was screened."""
        digest = hashlib.blake2b(f"{self.salt}:{reference}".encode(), digest_size=8).digest()
        return int.from_bytes(digest, "big") / 2**64 < self.config.fraud_rate

    def handle(self, operation: str, body: dict[str, Any], reply: Reply) -> None:
        if self.down:
            reply(503, {"error": "fraud screen unavailable"})
            return
        status, answer = dispatch(self._operations, operation, body)
        reply(status, answer, self._latency() * self.slow_factor)

    def _screen(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        reference = str(body["reference"])
        if not reference:
            raise ValueError("reference must not be empty")
        int(body["amount_cents"])
        answer = self.screened.get(reference)
        if answer is None:
            fraudulent = self.is_fraudulent(reference)
            config = self.config
            held = config.detection_rate if fraudulent else config.false_review_rate
            answer = REVIEW if self.rng.random() < held else ACCEPT
            self.screened[reference] = answer
            self.screened_at[reference] = self.env.now
            if answer == REVIEW:
                self._open_case(reference, fraudulent)
        result: dict[str, Any] = {"reference": reference, "decision": answer}
        case = self.cases.get(reference)
        if case is not None:
            result["case_id"] = case.case_id
        return 200, result

    def _open_case(self, reference: str, fraudulent: bool) -> None:
        case = ReviewCase(f"case_{len(self.cases) + 1:07d}", reference, self.env.now, fraudulent)
        self.cases[reference] = case
        self.analysts.slow_factor = self.slow_factor
        self.analysts.submit(lambda: self._decide(case))

    def _decide(self, case: ReviewCase) -> None:
        right = self.rng.random() >= self.config.analyst_error_rate
        case.decision = (
            (REJECT if case.fraudulent else APPROVE)
            if right
            else (APPROVE if case.fraudulent else REJECT)
        )
        case.decided_at = self.env.now
        self.emit(
            "review.decided",
            {
                "type": "review.decided",
                "case_id": case.case_id,
                "reference": case.reference,
                "decision": case.decision,
                "decided_at": case.decided_at,
            },
        )
