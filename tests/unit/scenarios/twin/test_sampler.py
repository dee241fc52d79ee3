"""The runtime's sampler: once a simulated minute it records the depth of every queue in
the estate (each of the hub's lanes, and each backend's own backlog), and reading them
changes nothing in the run."""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest
import simpy

from scenarios.spec.loader import scenario_from_dict
from scenarios.spec.scenario import Scenario
from scenarios.twin import runtime
from scenarios.twin.run_result import RunResult, Samples


def _short_outage() -> Scenario:
    return scenario_from_dict(
        {
            "scenario": {
                "name": "short-outage",
                "description": "Two hours of trade with a 20-minute ERP outage.",
                "duration": "2h",
                "drain": "1h",
                "seed": 7,
            },
            "world": {"skus": 40, "stores": 4, "dcs": 2, "customers": 300},
            "demand": {
                "web_orders_per_hour": 60,
                "marketplace_orders_per_hour": 30,
                "click_collect_orders_per_hour": 10,
                "store_sales_per_hour": 60,
            },
            "faults": [{"target": "erp", "kind": "outage", "start": "40m", "duration": "20m"}],
        }
    )


def test_every_lane_and_backend_backlog_is_sampled_each_minute() -> None:
    result = runtime.run(_short_outage())
    samples = result.samples
    lanes = result.estate.hub.ctx.calls.systems()
    assert {"erp", "payment", "wms", "pos", "marketplace"} <= set(lanes)
    for name in (
        *(f"{system}_queue_depth" for system in lanes),
        "erp_backlog",
        "wms_pick_backlog",
        "pos_backlog",
        "dead_letter_depth",
        "parked_events",
        "feed_pending_changes",
    ):
        assert len(samples.series[name]) == len(samples.t), name
    assert samples.t[1] - samples.t[0] == runtime.SAMPLE_INTERVAL_S
    # the outage backs writes up in the hub's ERP lane
    assert max(samples.series["erp_queue_depth"]) > 10


def test_sampling_changes_nothing_in_the_run(monkeypatch: pytest.MonkeyPatch) -> None:
    sampled = runtime.run(_short_outage())

    def no_sampler(
        env: simpy.Environment, result: RunResult, hot_skus: list[str]
    ) -> Generator[Any, Any, None]:
        yield env.timeout(0)

    monkeypatch.setattr(runtime, "_sampler", no_sampler)
    unsampled = runtime.run(_short_outage())
    assert len(unsampled.samples.t) == 0
    assert unsampled.seal.digest == sampled.seal.digest
    assert unsampled.seal.deliveries == sampled.seal.deliveries


def test_each_series_reads_back_the_values_sampled_in_order() -> None:
    """Samples are kept packed; a series first seen later holds only its own samples,
    and every value reads back as the float it was."""
    samples = Samples()
    samples.add(0.0, {"erp_backlog": 3.0})
    samples.add(60.0, {"erp_backlog": 0.0, "ats:SKU-1": 12.5})
    samples.add(120.0, {"erp_backlog": 7.0, "ats:SKU-1": -1.0})
    assert list(samples.t) == [0.0, 60.0, 120.0]
    assert list(samples.series["erp_backlog"]) == [3.0, 0.0, 7.0]
    assert list(samples.series["ats:SKU-1"]) == [12.5, -1.0]
    assert max(samples.series["erp_backlog"]) == 7.0
    assert all(type(value) is float for value in samples.series["erp_backlog"])
