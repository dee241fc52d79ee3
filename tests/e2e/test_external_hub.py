"""The twin judging hubs it does not contain: the reference hub (`retailtwin hub serve`)
through the contract passes steady-day, erp-outage and duplicate-storm at reduced scale,
and a hub seeded to acknowledge webhooks before processing them and drop every
fiftieth fails `no_lost_order`, judged from the backends' ground truth alone.

The four runs go side by side, each against its own hub process: a run waits on the
wall clock most of the time, and together they take about as long as one.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack

import pytest
from external_support import (
    ExternalRun,
    finish_run,
    free_port,
    hub_process,
    reference_hub_command,
    start_run,
)

#: name -> (scenario, defects seeded into the hub)
RUNS = {
    "steady-day": ("steady-day", ()),
    "erp-outage": ("erp-outage", ()),
    "duplicate-storm": ("duplicate-storm", ()),
    "broken": ("steady-day", ("ack_then_drop",)),
}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, ExternalRun]]:
    base = tmp_path_factory.mktemp("external")
    with ExitStack() as hubs:
        started = {}
        for name, (scenario, defects) in RUNS.items():
            port = free_port()
            command = reference_hub_command(port, *defects)
            url = hubs.enter_context(hub_process(command, port, base / f"{name}-hub.log"))
            out = base / name
            started[name] = (start_run(scenario, url, out), out)
        yield {name: finish_run(process, out) for name, (process, out) in started.items()}


@pytest.mark.parametrize("name", ["steady-day", "erp-outage", "duplicate-storm"])
def test_reference_hub_passes_over_http(runs: dict[str, ExternalRun], name: str) -> None:
    run = runs[name]
    assert run.failed() == [], run.output
    assert run.returncode == 0, run.output
    assert run.report["performance"]["clock"] == "wall"
    assert "--hub" in run.report["replay"]


def test_a_hub_that_acknowledges_then_drops_loses_orders(runs: dict[str, ExternalRun]) -> None:
    run = runs["broken"]
    assert run.returncode == 1, run.output
    lost = run.invariant("no_lost_order")
    assert lost["passed"] is False
    assert "never reached the hub" in lost["detail"] or "left it" in lost["detail"], lost
    assert "no_lost_order" in run.output


def test_the_reference_hub_report_names_the_wall_clock(runs: dict[str, ExternalRun]) -> None:
    assert "a wall-clock run: its digest is not expected to repeat" in runs["steady-day"].output
