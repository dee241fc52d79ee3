"""docs/scenarios.md's design findings: one hub setting changed against a shipped
scenario, with the sentence that says what it did, written from the runs."""

from __future__ import annotations

from figures import formatting as fmt
from figures import keys
from figures.experiments import Results, run
from figures.figure import Cost, Figure
from figures.keys import Report
from figures.library import RUNS


def _failures(report: Report) -> str:
    """`no_lost_order` (246) and `convergence` (3): each broken invariant with its
    violations; 'every invariant held' when none."""
    broken = keys.failed_invariants(report)
    if not broken:
        return "every invariant held"
    parts = [f"`{name}` ({fmt.count(keys.violations(report, name))})" for name in broken]
    return "fails " + (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else parts[0])


# ---------------------------------------------------------------- erp-outage, unbuffered

BUFFER_OFF = run("erp-outage", 5, "scenario.scale=0.3", "hub.erp_buffer=false")
BUFFER_ON = run("erp-outage", 5, "scenario.scale=0.3")


def erp_buffer(results: Results) -> str:
    off, on = results.report(BUFFER_OFF), results.report(BUFFER_ON)
    left = keys.DEAD_LETTERS_AT_END(off) or 0
    drain = keys.DRAIN_S(off)
    ending = (
        f"{fmt.count(left)} still dead-lettered at the end, so the drain reports "
        f"{fmt.seconds(drain)}"
        if left
        else f"none was left at the end: the queue drained {fmt.seconds(drain)} after the outage"
    )
    verdict = "it passed" if keys.passed(off) else _failures(off).replace("fails", "it failed")
    if not keys.passed(off) and not keys.failed_invariants(off):
        verdict = f"it failed {fmt.names(keys.failed_sla(off))}"
    on_text = "passed" if keys.passed(on) else _failures(on).replace("fails", "failed")
    return "\n".join(
        [
            fmt.item(
                f"With `hub.erp_buffer=false`, {fmt.plural(keys.DEAD_LETTERED(off), 'call')} "
                f"were dead-lettered; {ending}; {verdict}."
            ),
            fmt.item(
                f"With the default buffered lane, the same run {on_text} with "
                f"{fmt.plural(keys.DEAD_LETTERED(on), 'call')} dead-lettered and a "
                f"{fmt.seconds(keys.DRAIN_S(on))} drain."
            ),
        ]
    )


# ---------------------------------------------------------- black-friday, batch feeds

BF_EVENT = run("black-friday", 11, "scenario.scale=0.05")
BF_BATCH = run("black-friday", 11, "scenario.scale=0.05", "hub.sync=batch:15m")


def batch_feeds(results: Results) -> str:
    event, batch = results.report(BF_EVENT), results.report(BF_BATCH)
    threshold = keys.sla_threshold(batch, keys.SYNC_LAG_SLA)
    sla = (
        f"failed the sync-lag SLA (p95 {fmt.latency(keys.SYNC_LAG_P95, batch)} against "
        f"{fmt.seconds(threshold)})"
        if keys.SYNC_LAG_SLA in keys.failed_sla(batch)
        else f"met the sync-lag SLA (p95 {fmt.latency(keys.SYNC_LAG_P95, batch)})"
    )
    oversold = fmt.count(keys.OVERSOLD_UNITS(batch))
    return fmt.wrap(
        f"At `{BF_EVENT.overrides[0]}`, batch feeds oversold {oversold} "
        f"units against {fmt.count(keys.OVERSOLD_UNITS(event))} for event feeds, and {sla}; "
        f"event feeds' sync-lag p95 was {fmt.latency(keys.SYNC_LAG_P95, event)}."
    )


# ------------------------------------------------------------- the library's findings

THROTTLED_MATCHED = run("erp-throttled", 3, "hub.erp_concurrency=2")
STORM_UNORDERED = run("out-of-order-storm", 7, "hub.ordering=false")
DUPLICATES_UNGUARDED = run("duplicate-storm", 13, "hub.idempotency=false")
DUPLICATES_LATE = run(
    "duplicate-storm",
    13,
    "scenario.scale=0.5",
    "network.duplicate_rate=0.3",
    "network.reorder_delay=14h",
    "scenario.drain=16h",
)
ACK_ON_ERP = run("marketplace-flood", 17, "hub.marketplace_ack=on_erp")


def throttled(results: Results) -> str:
    matched, default = results.report(THROTTLED_MATCHED), results.report(RUNS["erp-throttled"])
    mine, theirs = keys.ORDER_TO_ERP_P95(matched) or 0.0, keys.ORDER_TO_ERP_P95(default) or 0.0
    refused = keys.volume("erp_throttled_429")(matched)
    why = (
        f"each refused write spent its back-off doing nothing, so the oversized lane made "
        f"the wait {fmt.times(theirs / mine)} as long"
        if mine < theirs
        else "matching the lane did not shorten the wait here"
    )
    return fmt.item(
        f"Design finding (`{THROTTLED_MATCHED.command}`, the hub matched to the allocation): "
        f"{fmt.count(refused)} requests refused with 429 and order→ERP p95 "
        f"{fmt.latency(keys.ORDER_TO_ERP_P95, matched)}, against "
        f"{fmt.latency(keys.ORDER_TO_ERP_P95, default)} with the shipped lane: {why}."
    )


def unordered(results: Results) -> str:
    report = results.report(STORM_UNORDERED)
    return fmt.item(
        f"Design finding (`{STORM_UNORDERED.command}`): the same storm {_failures(report)} "
        '(a late "picked" moves a shipped order back; violations in brackets).'
    )


def unguarded(results: Results) -> str:
    report = results.report(DUPLICATES_UNGUARDED)
    return fmt.item(
        f"Design finding (`{DUPLICATES_UNGUARDED.command}`): it {_failures(report)} "
        "(violations in brackets)."
    )


def late_duplicates(results: Results) -> str:
    report = results.report(DUPLICATES_LATE)
    caught = keys.hub_counter("duplicate_orders_seen")(report) or 0
    return fmt.wrap(
        f"`{DUPLICATES_LATE.command}` spreads second copies past the window (an offset "
        f"rewound by hours): {fmt.count(caught)} repeated orders were caught by their "
        f"business keys and {_failures(report)}.",
        "  ",
    )


def ack_on_erp(results: Results) -> str:
    report = results.report(ACK_ON_ERP)
    in_window = keys.ACK_IN_WINDOW_PCT(report)
    why = (
        "still every one in time, because the flood does not slow the ERP; combine it with "
        "an ERP fault to find the window's breaking point"
        if in_window == 100.0
        else "acknowledging only once the ERP has booked the order loses the window for some"
    )
    return fmt.item(
        f"Design finding (`{ACK_ON_ERP.command}`): "
        f"{fmt.percent(in_window, 1)} acknowledged within the window "
        f"(p99 {fmt.seconds(keys.ACK_P99(report))}): {why}; {_failures(report)}."
    )


DOC = "docs/scenarios.md"
FIGURES = (
    Figure("erp-buffer-small", DOC, Cost.QUICK, (BUFFER_OFF, BUFFER_ON), erp_buffer),
    Figure("batch-feeds-small", DOC, Cost.QUICK, (BF_EVENT, BF_BATCH), batch_feeds),
    Figure(
        "finding-erp-throttled",
        DOC,
        Cost.EXPENSIVE,
        (THROTTLED_MATCHED, RUNS["erp-throttled"]),
        throttled,
        command_block=False,
    ),
    Figure(
        "finding-out-of-order-storm",
        DOC,
        Cost.EXPENSIVE,
        (STORM_UNORDERED,),
        unordered,
        command_block=False,
    ),
    Figure(
        "finding-duplicate-storm",
        DOC,
        Cost.EXPENSIVE,
        (DUPLICATES_UNGUARDED,),
        unguarded,
        command_block=False,
    ),
    Figure(
        "finding-late-duplicates",
        DOC,
        Cost.EXPENSIVE,
        (DUPLICATES_LATE,),
        late_duplicates,
        command_block=False,
    ),
    Figure("finding-marketplace-flood", DOC, Cost.EXPENSIVE, (ACK_ON_ERP,), ack_on_erp, False),
)
