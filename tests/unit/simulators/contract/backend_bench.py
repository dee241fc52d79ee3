"""A bench of standalone simulated backends on their own SimPy environment, for driving
one operation at a time into each answer the contract documents, and recording every
answer and message against the contract as it goes.

Why not a scenario: a day at small scale never asks the WMS to cancel a release that is
already picked, or the gateway to capture on a voided authorisation; the contract
documents those answers because the simulators give them, and the bench proves it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import simpy

from simulators import wire_form
from simulators.channel import ChannelOrder
from simulators.contract import validate_answer, validate_message, validate_request
from simulators.credentials import AUTH_TOKEN, CLIENT_ID, GRANT_TYPE, GUARDABLE, TokenAuthority
from simulators.erp import Erp, ErpConfig
from simulators.fraud import FraudConfig, FraudScreen
from simulators.marketplace import Marketplace
from simulators.payment import PaymentConfig, PaymentGateway
from simulators.pos import Pos, PosConfig
from simulators.settlement import SettlementConfig, SettlementDesk
from simulators.tax import TaxConfig, TaxEngine
from simulators.wms import Wms, WmsConfig

DCS = ["DC-NORTH", "DC-SOUTH"]
STORES = ["ST-0001", "ST-0002"]
SKUS = ["SKU-00001", "SKU-00003", "SKU-00004", "SKU-00007"]
#: long enough for a pick, a shipment, a return's transit and its inspection
SETTLE_S = 6 * 3600.0


@dataclass
class Bench:
    erp_mode: str = "api"
    idempotent_refs: bool = False
    rate_limit_per_s: float = 0.0
    erp_queue_limit: int = 100
    decline_rate: float = 0.0
    #: the guardable backends behind their token authorities (False: no tokens at all)
    guarded: bool = True
    env: simpy.Environment = field(default_factory=simpy.Environment)
    #: (system, operation, status) of every answer given
    answered: list[tuple[str, str, int]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: the guardable backends' token endpoints, and the token the bench sends them
    authorities: dict[str, TokenAuthority] = field(default_factory=dict)
    tokens: dict[str, str | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        env, rng = self.env, random.Random(7)
        dc_stock = {(sku, dc): 50 for sku in SKUS for dc in DCS}
        store_stock = {(sku, store): 20 for sku in SKUS for store in STORES}
        self.erp = Erp(
            env,
            rng,
            ErpConfig(
                self.erp_mode,
                self.idempotent_refs,
                concurrency=1 if self.erp_queue_limit == 0 else 4,
                service_time_median_s=1.0,
                service_time_p95_s=2.0,
                rate_limit_per_s=self.rate_limit_per_s,
                queue_limit=self.erp_queue_limit,
                import_interval_s=600.0,
                lost_response_rate=0.0,
            ),
            {**dc_stock, **store_stock},
            self._emit("erp"),
        )
        self.wms = Wms(
            env,
            rng,
            WmsConfig(2, 60.0, 60.0, 60.0, 0.0, return_transit_median_s=600.0),
            DCS,
            dc_stock,
            self._emit("wms"),
            lambda _ref, _lines: None,
        )
        self.pos = Pos(
            env,
            rng,
            PosConfig(60.0, 0.0, 60.0),
            STORES,
            store_stock,
            self._emit("pos"),
            lambda _ref, _store: None,
        )
        self.payment = PaymentGateway(env, rng, PaymentConfig(self.decline_rate, 0.0, 0.5, 3600.0))
        # a marketplace that collects its buyers' money: it pays out hourly, and reports
        # every line, half of them paid short, half its orders charged back
        desk = SettlementDesk(
            env,
            rng,
            SettlementConfig(3600.0, 15.0, 60.0, 0.5, 0.5),
            self._emit("marketplace"),
        )
        self.marketplace = Marketplace(
            env, self._emit("marketplace"), 900.0, 300.0, self.rate_limit_per_s, settlement=desk
        )
        self.tax = TaxEngine(
            env,
            rng,
            TaxConfig(0.2, 0.0, self.rate_limit_per_s, {"north": 150}, dict.fromkeys(SKUS, 2000)),
        )
        # every order held, decided within minutes: its decisions are messages to validate
        self.fraud = FraudScreen(
            env,
            rng,
            FraudConfig(0.5, 1.0, 1.0, 2, 60.0, 120.0, 0.0, 0.2),
            "bench",
            self._emit("fraud"),
        )
        for system in GUARDABLE if self.guarded else ():
            authority = TokenAuthority(
                env, system, self.backend(system), 1e9
            )  # outlives any recipe
            self.authorities[system] = authority
            grant = {"grant_type": GRANT_TYPE, "client_id": CLIENT_ID}
            self.tokens[system] = None
            self.tokens[system] = self.send(system, AUTH_TOKEN, grant)[0][1]["access_token"]

    def _emit(self, source: str) -> Any:
        def emit(kind: str, payload: dict[str, Any]) -> None:
            for problem in validate_message(source, payload):
                self.problems.append(f"{source} message {kind}: {problem}")

        return emit

    def backend(self, system: str) -> Any:
        return getattr(self, system)

    def send(self, system: str, operation: str, body: dict[str, Any]) -> list[tuple[int, Any]]:
        """Send one request; its answer is recorded when it comes (into the list returned)."""
        answers: list[tuple[int, Any]] = []

        def reply(status: int, answer: dict[str, Any], delay_s: float = 0.0) -> None:
            answer = wire_form.as_wire(answer)  # as the HTTP face sends it
            answers.append((status, answer))
            self.answered.append((system, operation, status))
            for problem in validate_answer(system, operation, status, answer):
                self.problems.append(f"{system}/{operation} {status}: {problem}")

        authority = self.authorities.get(system)
        if authority is None:
            self.backend(system).handle(operation, body, reply)
        else:  # with the bench's token, unless a recipe took it away
            authority.handle(operation, body, reply, self.tokens[system])
        return answers

    def call(
        self, system: str, operation: str, body: dict[str, Any], *, settle: bool = True
    ) -> tuple[int, dict[str, Any]]:
        """Send one request and, with `settle`, let the estate work it out; the answer."""
        answers = self.send(system, operation, body)
        self.env.run(until=self.env.now + (SETTLE_S if settle else 30.0))
        assert len(answers) == 1, f"{system}/{operation} answered {len(answers)} times"
        return answers[0]

    def valid_call(
        self, system: str, operation: str, body: dict[str, Any], *, settle: bool = True
    ) -> tuple[int, dict[str, Any]]:
        """`call`, with a body the contract accepts (the HTTP face would refuse others)."""
        assert validate_request(system, operation, body) == [], body
        return self.call(system, operation, body, settle=settle)

    def marketplace_order(self, ref: str) -> None:
        """An order the marketplace took, ready to be acknowledged."""
        self.marketplace.accept(
            ChannelOrder(
                ref, "marketplace", "C-000001", "north", self.env.now, [("SKU-00001", 1, 999, 99)]
            )
        )
