"""The scenario loader: defaults, naming rules, precise errors, overrides, scale, shipped."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hub.policy import HubPolicy, RetryPolicy
from scenarios.spec import shipped
from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import (
    load_scenario,
    scaled,
    scenario_from_dict,
    scenario_to_dict,
    toml_key,
)
from scenarios.spec.scenario import (
    DemandSpec,
    ErpSpec,
    FaultSpec,
    FlashSaleSpec,
    PeakSpec,
    Scenario,
    SlaSpec,
    WorldSpec,
)

MINIMAL = """
[scenario]
name = "tiny"
description = "The smallest valid scenario. Everything else defaults."
"""


def write(tmp_path: Path, body: str, name: str = "s.toml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def load_text(tmp_path: Path, extra: str = "", *overrides: str) -> Scenario:
    return load_scenario(str(write(tmp_path, MINIMAL + extra)), overrides)


def error_of(tmp_path: Path, extra: str, *overrides: str) -> str:
    with pytest.raises(ScenarioError) as info:
        load_text(tmp_path, extra, *overrides)
    return str(info.value)


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


# ----------------------------------------------------------------------------- errors


def test_unknown_key_suggests_and_lists(tmp_path: Path) -> None:
    message = error_of(tmp_path, "[hub]\nidempotncy = false\n")
    assert 'hub.idempotncy: unknown key; did you mean "idempotency"? expected one of:' in message
    assert "erp_buffer" in message and "sync" in message
    assert "sync_mode" not in message  # only `sync` is offered
    assert message.startswith(str(tmp_path))  # names the file


def test_unknown_top_level_table(tmp_path: Path) -> None:
    message = error_of(tmp_path, "[wrold]\nskus = 3\n")
    assert 'wrold: unknown key; did you mean "world"?' in message


def test_duration_key_with_suffix_explains_rule(tmp_path: Path) -> None:
    message = error_of(tmp_path, "[hub]\ncall_timeout_s = 5\n")
    assert "hub.call_timeout_s: unknown key" in message
    assert 'without "_s"' in message and '"call_timeout"' in message


def test_sync_mode_key_points_to_sync(tmp_path: Path) -> None:
    message = error_of(tmp_path, '[hub]\nsync_mode = "batch"\n')
    assert "hub.sync_mode: unknown key" in message and "sync = " in message


def test_wrong_type_integer(tmp_path: Path) -> None:
    message = error_of(tmp_path, '[world]\nskus = "many"\n')
    assert message.endswith('world.skus: expected an integer, got "many"')


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ("[world]\nskus = true\n", "world.skus: expected an integer, got true"),
        ("[world]\nskus = 3.5\n", "world.skus: expected an integer, got 3.5"),
        ('[demand]\ncancel_rate = "low"\n', 'demand.cancel_rate: expected a number, got "low"'),
        ("[hub]\nidempotency = 1\n", "hub.idempotency: expected true or false, got 1"),
        ('[world]\nregions = "north"\n', 'world.regions: expected an array, got "north"'),
        ("world = 3\n", "world: expected a table, got 3"),
        ("[backends]\nerp = 1\n", "backends.erp: expected a table, got 1"),
        ('[world]\nregions = ["a", 2]\n', "world.regions[1]: expected a string, got 2"),
    ],
)
def test_wrong_types(tmp_path: Path, extra: str, expected: str) -> None:
    # Top-level tables must come before [scenario] keys are closed; put them first.
    path = write(tmp_path, extra + MINIMAL if not extra.startswith("[") else MINIMAL + extra)
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(path))
    assert str(info.value).endswith(expected)
    assert not isinstance(info.value, KeyError | TypeError)


def test_int_is_accepted_where_float_expected(tmp_path: Path) -> None:
    assert load_text(tmp_path, "[world]\nstore_range = 1\n").world.store_range == 1.0


def test_bad_fault_target(tmp_path: Path) -> None:
    faults = "".join(
        f'[[faults]]\ntarget = "{t}"\nkind = "outage"\nstart = "1h"\nduration = "1h"\n'
        for t in ("erp", "wms", "ermp")
    )
    message = error_of(tmp_path, faults)
    assert 'faults[2].target: unknown fault target "ermp"' in message
    assert (
        "expected erp, wms, pos, payment, marketplace, tax, fraud, hub, link:SRC->DST, "
        "pos:REGION or partner:NAME" in message
    )
    assert 'did you mean "erp"' in message


@pytest.mark.parametrize(
    ("target", "fragment"),
    [
        ("link:hub->ermp", 'unknown system "ermp" as DST'),
        ("link:hub", "expected link:SRC->DST"),
        ("link:erp->erp", "two different systems"),
        ("pos:nowhere", 'unknown region "nowhere"'),
        ("pos:", "expected pos:REGION"),
    ],
)
def test_bad_link_and_region_targets(tmp_path: Path, target: str, fragment: str) -> None:
    message = error_of(
        tmp_path,
        f'[[faults]]\ntarget = "{target}"\nkind = "offline"\nstart = 0\nduration = "1h"\n',
    )
    assert "faults[0].target: " in message and fragment in message


def test_bad_fault_kind(tmp_path: Path) -> None:
    message = error_of(
        tmp_path, '[[faults]]\ntarget = "erp"\nkind = "outag"\nstart = 0\nduration = "1h"\n'
    )
    assert 'faults[0].kind: unknown fault kind "outag"; did you mean "outage"?' in message
    assert "throttle" in message


def test_fault_missing_key(tmp_path: Path) -> None:
    message = error_of(tmp_path, '[[faults]]\ntarget = "erp"\nkind = "outage"\nstart = 0\n')
    assert message.endswith("faults[0].duration: missing required key")


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (
            '[[faults]]\ntarget = "erp"\nkind = "outage"\nstart = 0\nduration = "1h"\nrate = -1\n',
            "faults[0].rate: expected a non-negative number, got -1",
        ),
        (
            '[[faults]]\ntarget = "link:hub->erp"\nkind = "loss"\nstart = 0\nduration = 60\n'
            "rate = 1.5\n",
            "faults[0].rate: a loss fault's rate is a probability between 0 and 1",
        ),
        (
            '[[faults]]\ntarget = "erp"\nkind = "throttle"\nstart = 0\nduration = 60\n',
            "faults[0].rate: a throttle fault needs a rate greater than 0",
        ),
        (
            '[[faults]]\ntarget = "erp"\nkind = "outage"\nstart = "-1h"\nduration = 60\n',
            "faults[0].start: a duration cannot be negative",
        ),
        ("[world]\nstore_range = 1.5\n", "world.store_range: expected a probability between 0"),
        ("[demand]\ncancel_rate = -0.1\n", "demand.cancel_rate: expected a probability"),
        ("[demand]\nreturn_rate_web = 2\n", "demand.return_rate_web: expected a probability"),
        ("[demand]\nreturn_in_store_share = 1.01\n", "demand.return_in_store_share: expected"),
        ("[backends.payment]\ndecline_rate = 3\n", "payment.decline_rate: expected a prob"),
        ("[demand]\nweb_orders_per_hour = -5\n", "demand.web_orders_per_hour: expected a non-neg"),
        ("[world]\nskus = 0\n", "world.skus: expected a number greater than 0, got 0"),
        ("[demand]\nhourly_profile = [1, 2, 3]\n", "demand.hourly_profile: expected 24 numbers"),
        ("[demand]\nhourly_profile = [-1" + ", 1" * 23 + "]\n", "demand.hourly_profile[0]: "),
        ("[demand]\nzipf_s = inf\n", "demand.zipf_s: expected a finite number"),
        ("[sla]\nmarketplace_ack_within_window_pct = 101\n", "expected a percentage"),
        ('[backends.erp]\nmode = "cloud"\n', 'backends.erp.mode: unknown ERP mode "cloud"'),
        ('[hub]\nmarketplace_ack = "on_ack"\n', 'did you mean "on_accept"?'),
        ('[hub]\nsync = "hourly"\n', 'hub.sync: expected "event", "event:DURATION", "batch"'),
        ('[hub]\nsync = "batch:0s"\n', "hub.sync: a batch sync interval must be greater than 0"),
        ('[hub]\nsync = "batch:soon"\n', 'hub.sync: expected a duration like "45m"'),
        (
            '[backends.erp]\nservice_time_median = "2s"\nservice_time_p95 = "1s"\n',
            "backends.erp.service_time_p95: 1s is below service_time_median (2s)",
        ),
        (
            '[[demand.flash_sales]]\nstart = "1h"\nend = "2h"\nhot_skus = 5\nmultiplier = 2\n'
            'channels = ["store"]\n',
            'demand.flash_sales[0].channels[0]: unknown channel "store"',
        ),
        (
            '[[demand.flash_sales]]\nstart = "1h"\nend = "2h"\nhot_skus = 500\nmultiplier = 2\n',
            "demand.flash_sales[0].hot_skus: 500 is more than world.skus (400)",
        ),
        ('[sla]\nsync_lag_p95 = "x"\n', 'or "none" for no threshold'),
        ('[world]\nregions = ["a", "a"]\n', 'world.regions[1]: region "a" is listed twice'),
    ],
)
def test_range_and_rule_errors_name_the_field(tmp_path: Path, extra: str, fragment: str) -> None:
    assert fragment in error_of(tmp_path, extra)


def test_peak_end_before_start(tmp_path: Path) -> None:
    message = error_of(tmp_path, '[[demand.peaks]]\nstart = "11h"\nend = "10h"\nmultiplier = 2\n')
    assert "demand.peaks[0].end: 10h is before start 11h" in message


def test_peaks_written_as_single_table(tmp_path: Path) -> None:
    message = error_of(tmp_path, '[demand.peaks]\nstart = "1h"\n')
    assert "demand.peaks: expected an array of tables (write [[demand.peaks]]" in message


def test_unknown_defect(tmp_path: Path) -> None:
    message = error_of(tmp_path, '[hub]\ndefects = ["stale_feed", "drop_erp_order"]\n')
    assert 'hub.defects[1]: unknown defect "drop_erp_order"; did you mean "drop_erp_orders"?' in (
        message
    )


def test_scale_must_be_positive(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "scale = 0\n")
    with pytest.raises(ScenarioError, match=r"scenario\.scale: expected a number greater than 0"):
        load_scenario(str(path))


@pytest.mark.parametrize("missing", ["name", "description"])
def test_missing_name_or_description(tmp_path: Path, missing: str) -> None:
    lines = ["[scenario]", 'name = "n"', 'description = "d"']
    body = "\n".join(line for line in lines if not line.startswith(missing)) + "\n"
    with pytest.raises(ScenarioError, match=f"scenario.{missing}: missing required key"):
        load_scenario(str(write(tmp_path, body)))


def test_missing_scenario_table(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"scenario: missing table; .*\[scenario\]"):
        load_scenario(str(write(tmp_path, "[world]\nskus = 3\n")))


def test_toml_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "seed = = 3\n", name="broken.toml")
    with pytest.raises(ScenarioError) as info:
        load_scenario(str(path))
    message = str(info.value)
    assert str(path) in message and "invalid TOML" in message
    assert "line 5" in message and "column" in message


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    path = tmp_path / "nope.toml"
    with pytest.raises(ScenarioError, match=r"scenario file not found: .*nope\.toml"):
        load_scenario(str(path))


# ----------------------------------------------------------------------------- overrides


def test_override_bool_and_nested_backend(tmp_path: Path) -> None:
    scenario = load_text(tmp_path, "", "hub.idempotency=false", "backends.erp.idempotent_refs=true")
    assert scenario.hub.idempotency is False
    assert scenario.backends.erp.idempotent_refs is True


def test_override_duration_and_integer(tmp_path: Path) -> None:
    scenario = load_text(tmp_path, "", "scenario.duration=6h", "world.skus=200")
    assert scenario.duration_s == 6 * 3600
    assert scenario.world.skus == 200


def test_override_sync_batch(tmp_path: Path) -> None:
    scenario = load_text(tmp_path, '[hub]\nsync = "event"\n', "hub.sync=batch:15m")
    assert scenario.hub.sync_mode == "batch"
    assert scenario.hub.sync_interval_s == 900.0


def test_override_wins_over_file_and_later_override_wins(tmp_path: Path) -> None:
    scenario = load_text(tmp_path, "[world]\nskus = 50\n", "world.skus=60", "world.skus=70")
    assert scenario.world.skus == 70


def test_override_values_parse_as_toml(tmp_path: Path) -> None:
    scenario = load_text(
        tmp_path,
        "",
        'scenario.name="quoted"',
        "scenario.description=bare words here",
        'world.regions=["a", "b"]',
        "hub.retry={max_attempts = 2}",
    )
    assert scenario.name == "quoted"
    assert scenario.description == "bare words here"
    assert scenario.world.regions == ("a", "b")
    assert scenario.hub.retry == RetryPolicy(max_attempts=2)


def test_override_unknown_key_suggests_full_path(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_text(tmp_path, "", "hub.idempotncy=false")
    assert str(info.value) == '--set hub.idempotncy: no such key; did you mean "hub.idempotency"?'


@pytest.mark.parametrize(
    ("override", "fragment"),
    [
        ("seed=3", 'did you mean "scenario.seed"?'),
        ("duration=6h", 'did you mean "scenario.duration"?'),
        ("scenario.duration_s=1h", 'did you mean "scenario.duration"?'),
        ("hub.sync_mode=batch", 'did you mean "hub.sync"?'),
        ("world.skus.more=1", "world.skus is a single value, not a table"),
        ("faults.first.start=1h", "faults is an array; pick an entry by index"),
        ("faults.0.duration=30m", "faults has no entry 0"),
        ("world..skus=1", "empty part"),
    ],
)
def test_override_path_errors(tmp_path: Path, override: str, fragment: str) -> None:
    with pytest.raises(ScenarioError) as info:
        load_text(tmp_path, "", override)
    assert str(info.value).startswith(f"--set {override.partition('=')[0]}: ")
    assert fragment in str(info.value)


def test_override_without_equals(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match=r"--set hub\.idempotency: expected KEY=VALUE"):
        load_text(tmp_path, "", "hub.idempotency")


def test_bad_override_value_is_blamed_on_the_override(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_text(tmp_path, "", "world.skus=many")
    assert str(info.value) == '--set world.skus: expected an integer, got "many"'


def test_override_into_array_of_tables(tmp_path: Path) -> None:
    faults = (
        '[[faults]]\ntarget = "erp"\nkind = "outage"\nstart = "1h"\nduration = "1h"\n'
        '[[faults]]\ntarget = "wms"\nkind = "outage"\nstart = "2h"\nduration = "1h"\n'
    )
    scenario = load_text(tmp_path, faults, "faults.1.duration=30m")
    assert [f.duration_s for f in scenario.faults] == [3600.0, 1800.0]
    with pytest.raises(ScenarioError, match=r"^--set faults\[1\]\.kind: unknown fault kind"):
        load_text(tmp_path, faults, "faults.1.kind=flood")


def test_override_creates_absent_tables(tmp_path: Path) -> None:
    scenario = load_text(tmp_path, "", "hub.breaker.open=1m", "sla.sync_lag_p95=none")
    assert scenario.hub.breaker.open_s == 60.0
    assert scenario.sla.sync_lag_p95_s is None


def test_overrides_do_not_mutate_the_input() -> None:
    raw = {"scenario": {"name": "n", "description": "d"}}
    scenario_from_dict(raw, ["world.skus=30"])
    assert raw == {"scenario": {"name": "n", "description": "d"}}


def test_seed_argument_replaces_file_seed(tmp_path: Path) -> None:
    path = write(tmp_path, MINIMAL + "seed = 3\n")
    assert load_scenario(str(path)).seed == 3
    assert load_scenario(str(path), seed=99).seed == 99
    with pytest.raises(ScenarioError, match="seed: expected a non-negative integer"):
        load_scenario(str(path), seed=-1)


# ----------------------------------------------------------------------------- scale


def _scaled_raw(scale: float, **world: int) -> Scenario:
    return scenario_from_dict(
        {
            "scenario": {"name": "n", "description": "d", "scale": scale},
            "world": world,
            "demand": {
                "flash_sales": [
                    {"start": "1h", "end": "2h", "hot_skus": 30, "multiplier": 4},
                ]
            },
        }
    )


def test_scale_multiplies_rates_and_world() -> None:
    scenario = _scaled_raw(0.5, skus=400, stores=12, dcs=3, customers=5000)
    demand = DemandSpec()
    assert scenario.scale == 0.5
    assert scenario.demand.web_orders_per_hour == demand.web_orders_per_hour * 0.5
    assert scenario.demand.marketplace_orders_per_hour == demand.marketplace_orders_per_hour * 0.5
    assert scenario.demand.click_collect_orders_per_hour == (
        demand.click_collect_orders_per_hour * 0.5
    )
    assert scenario.demand.store_sales_per_hour == demand.store_sales_per_hour * 0.5
    assert (scenario.world.skus, scenario.world.stores, scenario.world.customers) == (200, 6, 2500)
    assert scenario.world.dcs == 3
    assert scenario.demand.flash_sales[0].hot_skus == 15


def test_scale_keeps_floors() -> None:
    scenario = _scaled_raw(0.01, skus=400, stores=12, customers=5000)
    assert (scenario.world.skus, scenario.world.stores, scenario.world.customers) == (20, 2, 50)
    assert scenario.demand.flash_sales[0].hot_skus == 1


def test_scale_never_grows_a_small_world() -> None:
    scenario = _scaled_raw(0.5, skus=30, stores=1, customers=40)
    assert (scenario.world.skus, scenario.world.stores, scenario.world.customers) == (20, 1, 40)


def test_scale_one_is_identity() -> None:
    scenario = Scenario(name="n", description="d")
    assert scaled(scenario) is scenario


def test_scale_up() -> None:
    scenario = _scaled_raw(2.0)
    assert scenario.world.skus == 800
    assert scenario.demand.web_orders_per_hour == 120.0


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


# ----------------------------------------------------------------------------- library


@pytest.fixture
def fake_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "library"
    directory.mkdir()
    for name in ("steady-day", "black-friday", "erp-outage"):
        (directory / f"{name}.toml").write_text(
            f'[scenario]\nname = "{name}"\n'
            f'description = """The {name} scenario. It has a second sentence."""\n',
            encoding="utf-8",
        )
    monkeypatch.setattr(shipped, "library_dir", lambda: directory)
    return directory


def test_shipped_names_sorted(fake_library: Path) -> None:
    assert shipped.shipped_names() == ["black-friday", "erp-outage", "steady-day"]


def test_describe_first_sentence(fake_library: Path) -> None:
    assert shipped.describe("erp-outage") == "The erp-outage scenario."


def test_load_by_name(fake_library: Path) -> None:
    scenario = load_scenario("black-friday", ["world.skus=100"])
    assert scenario.name == "black-friday"
    assert scenario.world.skus == 100


def test_unknown_name_lists_closest_first(fake_library: Path) -> None:
    with pytest.raises(ScenarioError) as info:
        load_scenario("stedy-day")
    message = str(info.value)
    assert 'unknown scenario "stedy-day"; did you mean "steady-day"?' in message
    assert "shipped scenarios: steady-day, black-friday, erp-outage" in message


def test_name_with_toml_suffix_is_a_path(fake_library: Path) -> None:
    with pytest.raises(ScenarioError, match=r"scenario file not found: steady-day\.toml"):
        load_scenario("steady-day.toml")


def test_empty_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shipped, "library_dir", lambda: tmp_path / "none")
    assert shipped.shipped_names() == []
    with pytest.raises(ScenarioError, match="no scenarios are shipped"):
        load_scenario("anything")


def test_shipped_library_files_all_load() -> None:
    """Every file that ships must load (vacuous until the library is written)."""
    for name in shipped.shipped_names():
        assert load_scenario(name).name
        assert shipped.describe(name)
