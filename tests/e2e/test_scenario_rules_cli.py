"""The library's scenario-format additions end to end, through the CLI: a fault that
would do nothing and a cutover that changes nothing are bad input (one line, exit 2,
the field named); a cutover that does change the ERP's interface runs and passes."""

from __future__ import annotations

from pathlib import Path

from cli_runner import retailtwin

TINY = """
[scenario]
name = "tiny"
description = "A tiny day."
duration = "3h"
drain = "2h"

[world]
skus = 40
stores = 2
dcs = 2
customers = 100
"""


def _run(tmp_path: Path, extra: str) -> tuple[int, str, str]:
    path = tmp_path / "scenario.toml"
    path.write_text(TINY + extra, encoding="utf-8")
    result = retailtwin("run", str(path), "--quiet")
    return result.returncode, result.stdout, result.stderr


def test_a_fault_on_a_link_that_carries_no_such_traffic_exits_2(tmp_path: Path) -> None:
    code, _, err = _run(
        tmp_path,
        '[[faults]]\ntarget = "link:hub->payment"\nkind = "duplicate"\n'
        'start = "1h"\nduration = "10m"\nrate = 0.5\n',
    )
    assert code == 2
    assert "faults[0].target: a duplicate fault on link:hub->payment would do nothing" in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_a_cutover_to_the_mode_in_force_exits_2(tmp_path: Path) -> None:
    code, _, err = _run(tmp_path, '[[cutovers]]\nat = "1h"\nmode = "api"\n')
    assert code == 2
    assert 'cutovers[0].mode: the ERP is already in "api" mode at 1h' in err
    assert "Traceback" not in err


def test_a_cutover_from_the_legacy_interface_runs_and_passes(tmp_path: Path) -> None:
    code, out, err = _run(
        tmp_path,
        '[backends.erp]\nmode = "legacy_batch"\nimport_interval = "15m"\n'
        '[[cutovers]]\nat = "1h30m"\nmode = "api"\n'
        '[sla]\norder_to_erp_p95 = "20m"\n',
    )
    assert code == 0, out + err
    assert "PASSED" in out
