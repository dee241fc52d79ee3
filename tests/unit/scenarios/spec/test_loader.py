"""The scenario loader: defaults, naming rules and types of a file that loads, and its export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from scenario_files import load_text

from hub.policy import HubPolicy, RetryPolicy
from scenarios.spec.loader import (
    scenario_from_dict,
    scenario_to_dict,
    toml_key,
)
from scenarios.spec.scenario import (
    ErpSpec,
    FaultSpec,
    FlashSaleSpec,
    PeakSpec,
    Scenario,
    SlaSpec,
    WorldSpec,
)

# ----------------------------------------------------------------------------- loading


def test_minimal_file_loads_with_defaults(tmp_path: Path) -> None:
    scenario = load_text(tmp_path)
    assert scenario == Scenario(
        name="tiny", description="The smallest valid scenario. Everything else defaults."
    )
    assert scenario.hub == HubPolicy()
    assert scenario.world == WorldSpec()


def test_full_file_maps_keys_to_fields(tmp_path: Path) -> None:
    scenario = load_text(
        tmp_path,
        """
seed = 7
duration = "6h"
drain = "90m"

[world]
skus = 200
regions = ["north", "south"]
dc_replenish_interval_h = 2

[demand]
web_orders_per_hour = 120
zipf_s = 0.9

[[demand.peaks]]
start = "11h"
end = "13h"
multiplier = 2.5

[[demand.flash_sales]]
start = "20h"
end = "20h30m"
hot_skus = 5
multiplier = 8
channels = ["web"]

[backends.erp]
mode = "legacy_batch"
idempotent_refs = true
service_time_median = "250ms"
service_time_p95 = "2s"
rate_limit_per_s = 10
import_interval = "15m"

[backends.payment]
auth_ttl = "7d"

[network]
reorder_delay = 45

[[faults]]
target = "erp"
kind = "outage"
start = "4h"
duration = "45m"

[[faults]]
target = "link:wms->hub"
kind = "duplicate"
start = "1h"
duration = "10m"
rate = 0.2

[[faults]]
target = "pos:north"
kind = "offline"
start = "2h"
duration = "1h"

[hub]
sync = "batch:30m"
erp_buffer = false
call_timeout = "10s"
defects = ["stale_feed"]
marketplace_ack = "on_erp"

[hub.retry]
base_delay = "500ms"
max_attempts = 3

[sla]
order_to_erp_p95 = "none"
sync_lag_p95 = "5m"
oversold_units_max = 0
""",
    )
    # In the [scenario] table, after the MINIMAL header.
    assert scenario.seed == 7
    assert scenario.duration_s == 6 * 3600
    assert scenario.drain_s == 90 * 60
    assert scenario.world.skus == 200
    assert scenario.world.regions == ("north", "south")
    assert scenario.world.dc_replenish_interval_h == 2.0
    assert scenario.demand.web_orders_per_hour == 120.0
    assert scenario.demand.zipf_s == 0.9
    assert scenario.demand.peaks == (PeakSpec(39600.0, 46800.0, 2.5),)
    assert scenario.demand.flash_sales == (FlashSaleSpec(72000.0, 73800.0, 5, 8.0, ("web",)),)
    erp = scenario.backends.erp
    assert erp == ErpSpec(
        mode="legacy_batch",
        idempotent_refs=True,
        service_time_median_s=0.25,
        service_time_p95_s=2.0,
        rate_limit_per_s=10.0,
        import_interval_s=900.0,
    )
    assert scenario.backends.payment.auth_ttl_s == 7 * 86400
    assert scenario.network.reorder_delay_s == 45.0
    assert scenario.faults == (
        FaultSpec("erp", "outage", 14400.0, 2700.0),
        FaultSpec("link:wms->hub", "duplicate", 3600.0, 600.0, 0.2),
        FaultSpec("pos:north", "offline", 7200.0, 3600.0),
    )
    hub = scenario.hub
    assert (hub.sync_mode, hub.sync_interval_s) == ("batch", 1800.0)
    assert hub.erp_buffer is False
    assert hub.call_timeout_s == 10.0
    assert hub.defects == frozenset({"stale_feed"})
    assert hub.marketplace_ack == "on_erp"
    assert hub.retry == RetryPolicy(max_attempts=3, base_delay_s=0.5)
    assert scenario.sla.order_to_erp_p95_s is None
    assert scenario.sla.sync_lag_p95_s == 300.0
    assert scenario.sla.oversold_units_max == 0.0
    default_ack = SlaSpec().marketplace_ack_within_window_pct
    assert scenario.sla.marketplace_ack_within_window_pct == default_ack


def test_types_are_converted_exactly(tmp_path: Path) -> None:
    scenario = load_text(tmp_path, "[demand]\nweb_orders_per_hour = 5\n")
    assert type(scenario.demand.web_orders_per_hour) is float
    assert isinstance(scenario.demand.hourly_profile, tuple)


def test_link_target_is_normalised(tmp_path: Path) -> None:
    scenario = load_text(
        tmp_path,
        '[[faults]]\ntarget = "link: web -> hub"\nkind = "loss"\nstart = 0\nduration = "1m"\n',
    )
    assert scenario.faults[0].target == "link:web->hub"


def test_sync_forms(tmp_path: Path) -> None:
    def sync(value: str) -> tuple[str, float]:
        hub = scenario_from_dict(
            {"scenario": {"name": "n", "description": "d"}, "hub": {"sync": value}}
        ).hub
        return hub.sync_mode, hub.sync_interval_s

    assert sync("event") == ("event", 2.0)
    assert sync("event:500ms") == ("event", 0.5)
    assert sync("batch") == ("batch", 900.0)
    assert sync("batch:1h") == ("batch", 3600.0)


@pytest.mark.parametrize(
    ("field", "key"),
    [
        ("duration_s", "duration"),
        ("service_time_median_s", "service_time_median"),
        ("dc_replenish_interval_h", "dc_replenish_interval_h"),
        ("rate_limit_per_s", "rate_limit_per_s"),
        ("zipf_s", "zipf_s"),
        ("skus", "skus"),
    ],
)
def test_toml_key_rule(field: str, key: str) -> None:
    assert toml_key(field) == key


# ----------------------------------------------------------------------------- export


def test_scenario_to_dict_is_json_and_complete(tmp_path: Path) -> None:
    scenario = load_text(
        tmp_path,
        '[hub]\ndefects = ["stale_feed", "drop_erp_orders"]\n'
        '[[faults]]\ntarget = "erp"\nkind = "outage"\nstart = "1h"\nduration = "30m"\n',
    )
    data = scenario_to_dict(scenario)
    assert json.loads(json.dumps(data)) == data
    assert data["duration_s"] == 86400.0
    assert data["hub"]["defects"] == ["drop_erp_orders", "stale_feed"]
    assert data["hub"]["retry"]["base_delay_s"] == 2.0
    assert data["faults"] == [
        {"target": "erp", "kind": "outage", "start_s": 3600.0, "duration_s": 1800.0, "rate": 0.0}
    ]
    assert len(data["demand"]["hourly_profile"]) == 24
    assert data["sla"]["order_to_erp_p95_s"] == 900.0
