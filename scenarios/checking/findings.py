"""What an invariant check finds, and how it is named and worded: shared by the checks
that read the hub's state (`invariants`) and those that read the simulated systems'
records alone (`ground_invariants`), so a report reads the same whichever judged it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

#: violations named in a failing check's detail
EXAMPLES = 3


class Invariant(StrEnum):
    """The invariants by name: the name report.json, junit.xml, `compare` and
    `shrink --invariant` use is the value here, and nowhere else."""

    NO_LOST_ORDER = "no_lost_order"
    EXACTLY_ONCE = "exactly_once"
    CONVERGENCE = "convergence"
    NO_STATUS_REGRESSION = "no_status_regression"
    MONEY_BALANCES = "money_balances"
    OVERSELL_MEASURED = "oversell_measured"
    PRICES_CONVERGE = "prices_converge"
    HOLDS_RESPECTED = "holds_respected"


@dataclass(frozen=True, slots=True)
class Finding:
    """What one check found, before it is named."""

    passed: bool
    detail: str
    violations: int


@dataclass(frozen=True, slots=True)
class CheckResult:
    name: Invariant
    passed: bool
    detail: str
    violations: int


class Violations:
    """Collects violations, keeping a few examples for the message."""

    def __init__(self) -> None:
        self.count = 0
        self.examples: list[str] = []

    def add(self, text: str) -> None:
        self.count += 1
        if len(self.examples) < EXAMPLES:
            self.examples.append(text)

    def result(self, ok_detail: str, what: str) -> Finding:
        if not self.count:
            return Finding(True, ok_detail, 0)
        more = f" (and {self.count - len(self.examples)} more)" if self.count > EXAMPLES else ""
        detail = f"{self.count} {what}: " + "; ".join(self.examples) + more
        return Finding(False, detail, self.count)
