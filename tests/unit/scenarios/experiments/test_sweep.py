"""Parsing and planning `compare`'s variants: bad --vary input fails before any run,
naming the field; a plan is one job per (variant, seed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios.experiments.sweep import Axis, check_axes, parse_vary, plan, split_values, variants
from scenarios.spec.errors import ScenarioError


def test_values_split_on_top_level_commas_only() -> None:
    assert split_values("event,batch:15m") == ["event", "batch:15m"]
    assert split_values('["stale_feed","drop_erp_orders"],[]') == [
        '["stale_feed","drop_erp_orders"]',
        "[]",
    ]
    assert split_values('"a,b", c') == ['"a,b"', "c"]


def test_parse_vary() -> None:
    assert parse_vary("hub.sync=event, batch:15m") == Axis("hub.sync", ("event", "batch:15m"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("hub.sync", "expected KEY=V1,V2"),
        ("=event,batch", "expected KEY=V1,V2"),
        ("hub.sync=event,,batch", "value 2 of 3 is empty"),
        ("hub.sync=", "value 1 of 1 is empty"),
        ("hub.sync=event,event", "listed twice"),
    ],
)
def test_malformed_vary_is_a_scenario_error(text: str, message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        parse_vary(text)


def test_variants_are_every_combination() -> None:
    found = variants(
        [Axis("hub.sync", ("event", "batch")), Axis("hub.erp_buffer", ("true", "false"))]
    )
    assert [v.overrides for v in found] == [
        ("hub.sync=event", "hub.erp_buffer=true"),
        ("hub.sync=event", "hub.erp_buffer=false"),
        ("hub.sync=batch", "hub.erp_buffer=true"),
        ("hub.sync=batch", "hub.erp_buffer=false"),
    ]
    assert len({v.slug for v in found}) == 4


@pytest.mark.parametrize(
    ("axes", "base", "message"),
    [
        (
            [Axis("hub.syncc", ("event",))],
            (),
            r"--vary hub.syncc: no such key; did you mean "
            r'"hub.sync"',
        ),
        ([Axis("hub.sync", ("hourly",))], (), r"--vary hub.sync: expected"),
        ([Axis("hub.erp_buffer", ("maybe",))], (), r"--vary hub.erp_buffer: expected true or"),
        ([Axis("hub.sync", ("event",)), Axis("hub.sync", ("batch",))], (), "given twice"),
        ([Axis("hub.sync", ("event",))], ("hub.sync=batch",), "also given with --set"),
        ([Axis("scenario.seed", ("1", "2"))], (), "--seeds"),
    ],
)
def test_bad_axes_fail_before_running(
    axes: list[Axis], base: tuple[str, ...], message: str
) -> None:
    with pytest.raises(ScenarioError, match=message):
        check_axes("steady-day", base, axes)


def test_plan_runs_each_variant_over_consecutive_seeds(tmp_path: Path) -> None:
    found, seeds, jobs = plan(
        "steady-day",
        ["scenario.scale=0.1"],
        [Axis("hub.sync", ("event", "batch:15m"))],
        3,
        None,
        tmp_path,
    )
    assert seeds == [1, 2, 3]  # steady-day's own seed first
    assert len(jobs) == 6
    assert jobs[4].overrides == ("scenario.scale=0.1", "hub.sync=batch:15m")
    assert jobs[4].seed == 2
    assert jobs[4].out_dir == str(tmp_path / "runs" / found[1].slug / "seed-2")
    _, seeds, _ = plan("steady-day", [], [Axis("hub.sync", ("event",))], 2, 40)
    assert seeds == [40, 41]
