"""The tax engine: what tax an order owes, and the liability the retailer reports.

Retailers do not compute sales tax themselves; they ask a tax service (Avalara, Vertex)
that knows every jurisdiction's rates. The channels only estimate it from the
catalogue's flat rate per SKU; the engine adds the destination region's own rate, so
its answer is the truth the retailer owes and the channels' estimate is short of it.

Three operations, as such services offer them:

- `quote`: the tax on an order's lines for a destination, recording nothing (a hub
  asks while it captures the order, to charge the customer the right amount);
- `commit`: the tax on what was actually delivered, recorded as a committed
  transaction under the order's document code: the retailer's liability, filed with
  what it says it collected. A code committed before gets its first answer again and
  records nothing, so a retry is never a second liability;
- `reverse`: the tax on goods returned, recorded against the order's transaction as a
  reversal under the return's code (again, once per code); a reversal of a
  transaction never committed is refused (404), as the service would refuse it.

Latency, outages, throttling (429 with a retry-after) and a slowdown come from the
scenario and its faults, as for the other backends. The checker reads `transactions`
and `reversals`: the liability the engine holds is what the retailer will pay.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import simpy

from simulators.rate_limit import RateLimit
from simulators.rng import LogNormal
from simulators.rpc import Operation, Reply, dispatch

#: every operation `TaxEngine.handle` accepts; `simulators.contract.tax` documents each
OPERATIONS = ("quote", "commit", "reverse")


@dataclass(frozen=True, slots=True)
class TaxedLine:
    """One line as the engine taxed it: `net_cents` is the line's value before tax."""

    sku: str
    quantity: int
    net_cents: int
    tax_cents: int


@dataclass(slots=True)
class TaxTransaction:
    """A committed transaction: the retailer owes `tax_cents` on the order `code`."""

    code: str
    region: str
    lines: list[TaxedLine]
    #: what the hub says the customer paid in tax for these lines
    collected_cents: int
    committed_at: float
    #: reversals recorded against it, by return code
    reversed_cents: int = 0

    @property
    def tax_cents(self) -> int:
        return sum(line.tax_cents for line in self.lines)


@dataclass(frozen=True, slots=True)
class TaxReversal:
    """Tax given back on returned goods: the liability of `transaction` falls by it."""

    code: str
    transaction: str
    lines: list[TaxedLine]
    refunded_cents: int
    reversed_at: float

    @property
    def tax_cents(self) -> int:
        return sum(line.tax_cents for line in self.lines)


@dataclass(frozen=True, slots=True)
class TaxConfig:
    service_time_median_s: float
    lost_response_rate: float
    rate_limit_per_s: float
    #: basis points each region adds to the catalogue's rate of every SKU
    region_rate_bp: dict[str, int]
    #: the catalogue's rate per SKU, in basis points
    sku_rate_bp: dict[str, int]


def draw_region_rates(rng: random.Random, regions: list[str], max_pct: float) -> dict[str, int]:
    """Each region's own rate on top of the catalogue's, uniform up to `max_pct`: what
    the channels' flat-rate estimate leaves out."""
    return {region: round(rng.uniform(0.0, max_pct) * 100) for region in regions}


@dataclass(slots=True)
class TaxEngine:
    env: simpy.Environment
    rng: random.Random
    config: TaxConfig
    #: multiplies every answer's latency (a `slow` fault)
    slow_factor: float = 1.0
    down: bool = False
    transactions: dict[str, TaxTransaction] = field(default_factory=dict)
    reversals: dict[str, TaxReversal] = field(default_factory=dict)
    quotes: int = 0
    throttled: int = 0
    lost_responses: int = 0
    rate_limit: RateLimit = field(init=False)
    _latency: LogNormal = field(init=False)
    _operations: dict[str, Operation] = field(init=False)

    def __post_init__(self) -> None:
        median = self.config.service_time_median_s
        self._latency = LogNormal(self.rng, median, median * 4)
        self.rate_limit = RateLimit(self.env, self.config.rate_limit_per_s)
        self._operations = {
            "quote": self._quote,
            "commit": self._commit,
            "reverse": self._reverse,
        }

    def rate_bp(self, sku: str, region: str) -> int:
        """The rate the engine applies to `sku` delivered to `region`."""
        return self.config.sku_rate_bp[sku] + self.config.region_rate_bp.get(region, 0)

    def tax_cents(self, sku: str, region: str, net_cents: int) -> int:
        """The engine's tax on `net_cents` of `sku` for `region`, rounded down."""
        return net_cents * self.rate_bp(sku, region) // 10000

    def handle(self, operation: str, body: dict[str, Any], reply: Reply) -> None:
        """The engine records a commit or a reversal as it takes it and answers after
        its service time; down, it refuses at once; over its rate limit, it answers 429."""
        if self.down:
            reply(503, {"error": "tax service unavailable"})
            return
        if not self.rate_limit.admit():
            self.throttled += 1
            reply(429, {"error": "rate limit", "retry_after_s": self.rate_limit.retry_after_s})
            return
        status, answer = dispatch(self._operations, operation, body)
        if self.rng.random() < self.config.lost_response_rate:
            self.lost_responses += 1
            return
        reply(status, answer, self._latency() * self.slow_factor)

    def _taxed(self, region: str, raw_lines: list[dict[str, Any]]) -> list[TaxedLine]:
        lines = []
        for raw in raw_lines:
            sku, quantity, net = str(raw["sku"]), int(raw["qty"]), int(raw["net_cents"])
            if sku not in self.config.sku_rate_bp:
                raise ValueError(f"unknown sku {sku}")
            if quantity <= 0 or net < 0:
                raise ValueError(f"line {sku}: qty must be positive and net_cents not negative")
            lines.append(TaxedLine(sku, quantity, net, self.tax_cents(sku, region, net)))
        return lines

    @staticmethod
    def _answer(code: str, lines: list[TaxedLine]) -> dict[str, Any]:
        return {
            "code": code,
            "tax_cents": sum(line.tax_cents for line in lines),
            "lines": [{"sku": line.sku, "tax_cents": line.tax_cents} for line in lines],
        }

    def _quote(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        self.quotes += 1
        return 200, self._answer(str(body["code"]), self._taxed(str(body["region"]), body["lines"]))

    def _commit(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        code = str(body["code"])
        held = self.transactions.get(code)
        if held is None:
            held = TaxTransaction(
                code,
                str(body["region"]),
                self._taxed(str(body["region"]), body["lines"]),
                int(body["collected_cents"]),
                self.env.now,
            )
            self.transactions[code] = held
        return 200, self._answer(code, held.lines)

    def _reverse(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        code, of = str(body["code"]), str(body["transaction"])
        held = self.reversals.get(code)
        if held is None:
            transaction = self.transactions.get(of)
            if transaction is None:
                return 404, {"error": "no_such_transaction"}
            held = TaxReversal(
                code,
                of,
                self._taxed(transaction.region, body["lines"]),
                int(body["refunded_cents"]),
                self.env.now,
            )
            self.reversals[code] = held
            transaction.reversed_cents += held.tax_cents
        return 200, self._answer(code, held.lines)

    def liability_cents(self) -> int:
        """What the retailer owes on everything committed, less what was reversed."""
        committed = sum(t.tax_cents for t in self.transactions.values())
        return committed - sum(r.tax_cents for r in self.reversals.values())
