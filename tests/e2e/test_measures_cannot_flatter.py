"""Numbers that get worse when the design gets worse. Each test is a blind spot the
metrics once had: a design that dropped work, or let news arrive later, scored better.
"""

from __future__ import annotations

from runs import verdict_of

#: simulated time only: runs beside the head-started wall-clock runs (tests/head_start.py)
COMPUTES_ONLY = True

#: erp-outage with a hub that gives up fast and keeps nothing: no buffer for the ERP,
#: two attempts, a breaker that opens early, no replay of dead letters
FAIL_FAST = (
    "hub.erp_buffer=false",
    "hub.retry.max_attempts=2",
    "hub.breaker.failure_threshold=3",
    "hub.breaker.open=2m",
    "hub.auto_replay=false",
)
TENTH = ("scenario.scale=0.1",)


def test_orders_never_booked_make_order_to_erp_worse_not_better() -> None:
    buffered = verdict_of("erp-outage", TENTH).metrics["order_to_erp_s"]["all"]
    fail_fast = verdict_of("erp-outage", (*TENTH, *FAIL_FAST)).metrics["order_to_erp_s"]["all"]
    assert buffered["censored"] == 0
    assert fail_fast["censored"] > 0  # orders the ERP never booked
    assert fail_fast["p95"] > buffered["p95"], (fail_fast, buffered)
    assert "p95" in fail_fast["at_least"]


def test_the_fail_fast_design_fails_its_order_to_erp_sla() -> None:
    verdict = verdict_of("erp-outage", (*TENTH, *FAIL_FAST))
    failed = {s.name for s in verdict.sla if not s.passed}
    assert "order_to_erp_p95_s" in failed


def _held_back(delay: str, seed: int) -> dict[str, float]:
    overrides = (
        "scenario.scale=0.1",
        f"network.reorder_delay={delay}",
        "network.duplicate_rate=0.3",
        "scenario.drain=16h",
    )
    return verdict_of("steady-day", overrides, seed).metrics["sync_lag_s"]["all"]


#: seeds pooled: one seed's world diverges with the hold-back (customers buy what the
#: channels show), so a single pair can swing either way on any statistic
SEEDS = (1, 2, 3, 4, 5)


def test_a_longer_hold_back_never_gives_a_lower_sync_lag() -> None:
    """Messages held back 7 to 14 hours against 7.5 to 15 minutes. Reports held back
    are overtaken by newer ones or by a reconciliation snapshot; either way the lag
    runs from the movement at its source to the feed that brought it to the channel,
    so the longer hold-back can only add to it (it once scored 2.3 s against 774 s).

    Judged on the mean and the maximum, pooled over five seeds: that is where the held
    reports land. Not on the p99: at 0.5% reordering about 9 of some 1,700 reports are
    held back, fewer than the 17 slowest the p99 ranks, so it is set by the rest of the
    tail, which differs between the two worlds (seeds 3 and 10 give a lower p99 at 14 h
    than at 15 min; with the network's draws per link and kind both worlds hold back
    the same reports until their demand diverges)."""
    short = [_held_back("15m", seed) for seed in SEEDS]
    long = [_held_back("14h", seed) for seed in SEEDS]
    for statistic in ("mean", "max"):
        held_short = sum(lag[statistic] for lag in short)
        held_long = sum(lag[statistic] for lag in long)
        assert held_long > held_short, (statistic, short, long)
