"""The scenario loader's errors: each names the file, the key and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest
from scenario_files import MINIMAL, error_of, load_text, write

from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import (
    load_scenario,
)


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
