"""The verdict as a table a terminal of any width can read.

The name of a check is what a reader looks for (`marketplace_ack_within_window_pct`
failed, not `marketplace_ack_…`), so names are never cut or wrapped: the name column
is as wide as the longest name. Values and thresholds may wrap. On a terminal narrower
than `WIDE_COLUMNS` the details leave the table and follow it, one line per check,
wrapped at the terminal's width.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.console import Console
from rich.table import Table

from scenarios.checking.metrics import SlaOutcome, Unit
from scenarios.checking.verdict import Verdict

__all__ = ["WIDE_COLUMNS", "print_table"]

#: the narrowest terminal that keeps each check's detail in its row
WIDE_COLUMNS = 110


@dataclass(frozen=True, slots=True)
class _Row:
    name: str
    value: str
    threshold: str
    result: str
    detail: str


def _fmt(value: float | None, unit: Unit) -> str:
    if value is None:
        return "never"
    if unit == Unit.SECONDS:
        return f"{value:,.1f} s"
    if unit == Unit.PERCENT:
        return f"{value:.2f} %"
    return f"{value:,.0f}"


def _result(passed: bool) -> str:
    return "[green]pass[/]" if passed else "[bold red]FAIL[/]"


def _invariant_rows(verdict: Verdict) -> list[_Row]:
    return [
        _Row(check.name, f"{check.violations:,}", "0", _result(check.passed), check.detail)
        for check in verdict.invariants
    ]


def _sla_rows(verdict: Verdict) -> list[_Row]:
    rows = []
    for sla in verdict.sla:
        bound = "<=" if sla.bound == "max" else ">="
        unmeasured = sla.outcome == SlaOutcome.NOT_MEASURABLE
        value = "n/a" if unmeasured else ("≥ " if sla.at_least else "") + _fmt(sla.value, sla.unit)
        result = "[yellow]not measurable[/]" if unmeasured else _result(sla.passed)
        rows.append(
            _Row(
                sla.name,
                value,
                f"{bound} {_fmt(sla.threshold, sla.unit)}",
                result,
                sla.not_measurable or "",
            )
        )
    return rows


def print_table(console: Console, verdict: Verdict) -> None:
    invariants, slas = _invariant_rows(verdict), _sla_rows(verdict)
    wide = console.width >= WIDE_COLUMNS
    names = [row.name for row in (*invariants, *slas)] + ["invariants", "SLAs"]
    table = Table(title=f"{verdict.scenario} (seed {verdict.seed})", title_justify="left")
    table.add_column("check", no_wrap=True, min_width=max(map(len, names)))
    table.add_column("value", justify="right", overflow="fold")
    table.add_column("threshold", justify="right", overflow="fold")
    table.add_column("result", overflow="fold")
    if wide:
        table.add_column("detail", overflow="fold", max_width=70)
    for heading, rows in (("invariants", invariants), ("SLAs", slas)):
        if not rows:
            continue
        table.add_row(f"[bold]{heading}[/]")
        for row in rows:
            cells = [row.name, row.value, row.threshold, row.result]
            table.add_row(*cells, row.detail) if wide else table.add_row(*cells)
        table.add_section()
    console.print(table)
    if not wide:
        for row in (*invariants, *slas):
            if row.detail:
                console.print(f"[bold]{row.name}[/]: {row.detail}", highlight=False)
