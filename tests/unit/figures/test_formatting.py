"""How published figures are written: one style for counts, durations and spreads."""

from __future__ import annotations

from figures import formatting as fmt
from figures import keys


def test_durations_pick_a_readable_unit() -> None:
    assert fmt.seconds(2.25) == "2.2 s"
    assert fmt.seconds(312.0) == "312 s"
    assert fmt.seconds(684.0) == "11.4 min"
    assert fmt.seconds(9.0 * 3600) == "540.0 min"
    assert fmt.seconds(20_872.0) == "347.9 min"
    assert fmt.seconds(40_000.0) == "11.1 h"
    assert fmt.seconds(None) == "never"


def test_a_spread_is_mean_min_max_with_runs_that_never_got_there_apart() -> None:
    assert fmt.spread([23, 33, 27, 28, 27]) == "27.6 (23..33)"
    assert fmt.spread([0, 0, 0]) == "0"
    assert fmt.spread([240.0, 420.0, 276.0], "s") == "312 s (240..420)"
    assert fmt.spread([660.0, 720.0], "s") == "11.5 min (11.0..12.0)"
    assert fmt.spread([90.0, None], "s") == "90 s, never in 1/2"
    assert fmt.spread([None, None], "s") == "never (2/2)"
    assert fmt.spread([0.07, 0.11], "%") == "0.09 % (0.07..0.11)"


def test_sentences_name_things_and_count_seeds() -> None:
    assert fmt.names([]) == "none"
    assert fmt.names(["a", "b", "c"]) == "`a`, `b` and `c`"
    assert fmt.seeds_phrase(5, 5) == "on every seed"
    assert fmt.seeds_phrase(0, 5) == "on no seed"
    assert fmt.seeds_phrase(3, 5) == "on 3 of 5 seeds"


def test_the_accessor_reads_a_report_and_says_none_for_what_it_lacks() -> None:
    report = {
        "seed": 5,
        "passed": False,
        "invariants": [
            {"name": "no_lost_order", "passed": False, "violations": 3},
            {"name": "exactly_once", "passed": True, "violations": 0},
        ],
        "sla": [{"name": "sync_lag_p95_s", "passed": False, "threshold": 120.0}],
        "metrics": {"sync_lag_s": {"all": {"p95": 2.5}}, "volumes": {"hub_counters": {}}},
        "scenario_spec": {"faults": []},
    }
    assert keys.SYNC_LAG_P95(report) == 2.5
    assert keys.ORDER_TO_ERP_P95(report) is None
    assert keys.hub_counter("reauthorisations")(report) is None
    assert keys.failed_invariants(report) == ["no_lost_order"]
    assert keys.violations(report, "no_lost_order") == 3
    assert keys.failed_sla(report) == ["sync_lag_p95_s"]
    assert keys.sla_threshold(report, "sync_lag_p95_s") == 120.0
    assert not keys.has_faults(report)


def test_a_percentile_over_unfinished_items_is_shown_as_a_lower_bound() -> None:
    bounded = {"metrics": {"order_to_erp_s": {"all": {"p95": 1200.0, "at_least": ["p95"]}}}}
    plain = {"metrics": {"order_to_erp_s": {"all": {"p95": 1.5, "at_least": []}}}}
    assert fmt.latency(keys.ORDER_TO_ERP_P95, bounded) == "≥ 20.0 min"
    assert fmt.latency(keys.ORDER_TO_ERP_P95, plain) == "1.5 s"
    assert not keys.at_least(keys.OVERSOLD_UNITS, bounded)
    assert fmt.spread([600.0, 720.0], "s", lower_bound=True) == "≥ 11.0 min (10.0..12.0)"
