"""The verdict as a table a terminal of any width can read.

The name of a check is what a reader looks for (`marketplace_ack_within_window_pct`
failed, not `marketplace_ack_…`), so names are never cut or wrapped: the name column
is as wide as the longest name. Values and thresholds may wrap. On a terminal narrower
than `WIDE_COLUMNS` the details leave the table and follow it, one line per check,
wrapped at the terminal's width; the day's volumes are printed as words.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rich.console import Console
from rich.table import Table

from scenarios.checking.metrics import SlaOutcome, Unit
from scenarios.checking.verdict import Verdict

__all__ = ["WIDE_COLUMNS", "print_table", "volumes_line"]

#: the narrowest terminal that keeps each check's detail in its row
WIDE_COLUMNS = 110

#: how a channel's orders read in the volumes line
_CHANNEL_WORDS = {
    "web": "web",
    "marketplace": "marketplace",
    "click_collect": "click-and-collect",
    "b2b": "from companies",
}


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


def volumes_line(metrics: dict[str, Any]) -> str:
    """'2,229 channel orders (1,570 web, 420 marketplace, 239 click-and-collect), ...'."""
    volumes, oversell = metrics["volumes"], metrics["oversell"]
    by_channel = sorted(volumes["orders_by_channel"].items(), key=lambda item: (-item[1], item[0]))
    channels = ", ".join(
        f"{count:,} {_CHANNEL_WORDS.get(channel, channel.replace('_', ' '))}"
        for channel, count in by_channel
    )
    return (
        f"{volumes['channel_orders']:,} channel orders ({channels}), "
        f"{volumes['store_sales']:,} store sales, {volumes['returns']:,} returns; "
        f"{oversell['oversold_units']:,} units oversold; "
        f"{volumes['duplicates_delivered']:,} duplicates and "
        f"{volumes['reordered_messages']:,} reordered messages on the wire"
    )
