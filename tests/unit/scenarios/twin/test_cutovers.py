"""`[[cutovers]]`: the ERP switched from its legacy batch interface to its API (or back)
at a planned moment. The loader checks that each cutover is within the run and really
changes the interface; the ERP imports the last batch file at cutover, and an import
run never doubles however often the interface is switched."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
import simpy

from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import load_scenario, scenario_from_dict
from scenarios.spec.round_trip import dumps
from scenarios.spec.scenario import CutoverSpec
from scenarios.twin.faults import schedule_cutovers
from simulators.erp import Erp, ErpConfig

HEADER = '[scenario]\nname = "c"\ndescription = "Cutovers."\nduration = "24h"\ndrain = "6h"\n'
LEGACY = '[backends.erp]\nmode = "legacy_batch"\nimport_interval = "15m"\n'


def load(tmp_path: Path, body: str, *overrides: str) -> Any:
    path = tmp_path / "s.toml"
    path.write_text(HEADER + body, encoding="utf-8")
    return load_scenario(str(path), overrides)


def error(tmp_path: Path, body: str, *overrides: str) -> str:
    with pytest.raises(ScenarioError) as info:
        load(tmp_path, body, *overrides)
    return str(info.value)


def test_a_cutover_table_loads(tmp_path: Path) -> None:
    scenario = load(tmp_path, LEGACY + '[[cutovers]]\nat = "13h"\nmode = "api"\n')
    assert scenario.cutovers == (CutoverSpec(13 * 3600.0, "api", "erp"),)


def test_a_cutover_to_the_mode_in_force_is_refused(tmp_path: Path) -> None:
    message = error(tmp_path, '[[cutovers]]\nat = "13h"\nmode = "api"\n')
    assert (
        'cutovers[0].mode: the ERP is already in "api" mode at 13h '
        '(backends.erp.mode = "api"); a cutover must change the interface, '
        'expected "legacy_batch"'
    ) in message


def test_cutovers_are_judged_in_time_order(tmp_path: Path) -> None:
    body = LEGACY + (
        '[[cutovers]]\nat = "18h"\nmode = "api"\n[[cutovers]]\nat = "13h"\nmode = "api"\n'
    )
    message = error(tmp_path, body)
    assert 'cutovers[0].mode: the ERP is already in "api" mode at 18h (cutovers[1] at 13h)' in (
        message
    )


def test_a_cutover_after_the_run_is_refused(tmp_path: Path) -> None:
    message = error(tmp_path, LEGACY + '[[cutovers]]\nat = "31h"\nmode = "api"\n')
    assert (
        "cutovers[0].at: 1d7h is not within the run (duration 1d + drain 6h = 1d6h); "
        "expected a time before 1d6h"
    ) in message


def test_two_cutovers_at_one_time_are_refused(tmp_path: Path) -> None:
    body = LEGACY + (
        '[[cutovers]]\nat = "13h"\nmode = "api"\n[[cutovers]]\nat = "13h"\nmode = "legacy_batch"\n'
    )
    assert "cutovers[1].at: cutovers[0] is at 13h too" in error(tmp_path, body)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (
            '[[cutovers]]\nat = "1h"\nmode = "batch"\n',
            'cutovers[0].mode: unknown erp mode "batch"; expected one of: api, legacy_batch',
        ),
        (
            '[[cutovers]]\nat = "1h"\nmode = "api"\nsystem = "wms"\n',
            'cutovers[0].system: unknown system to cut over "wms"; expected one of: erp',
        ),
        ('[[cutovers]]\nmode = "api"\n', "cutovers[0].at: missing required key"),
        (
            '[[cutovers]]\nat = "1h"\nmode = "api"\nwhen = "2h"\n',
            "cutovers[0].when: unknown key",
        ),
        (
            '[backends.erp]\nimport_interval = 0\n[[cutovers]]\nat = "1h"\nmode = "legacy_batch"\n',
            'cutovers[0].mode: a cutover to "legacy_batch" needs backends.erp.import_interval',
        ),
        ('[cutovers]\nat = "1h"\nmode = "api"\n', "write [[cutovers]] for each entry"),
    ],
)
def test_bad_cutovers_name_the_field(tmp_path: Path, body: str, fragment: str) -> None:
    assert fragment in error(tmp_path, body)


def test_a_cutover_can_be_overridden(tmp_path: Path) -> None:
    body = LEGACY + '[[cutovers]]\nat = "13h"\nmode = "api"\n'
    assert load(tmp_path, body, "cutovers.0.at=9h").cutovers[0].at_s == 9 * 3600.0
    message = error(tmp_path, body, "cutovers.0.at=40h")
    assert message.startswith("--set cutovers[0].at: 1d16h is not within the run")


def test_a_cutover_survives_the_round_trip_through_toml(tmp_path: Path) -> None:
    scenario = load(tmp_path, LEGACY + '[[cutovers]]\nat = "13h30m"\nmode = "api"\n')
    path = tmp_path / "again.toml"
    path.write_text(dumps(scenario), encoding="utf-8")
    assert load_scenario(str(path)).cutovers == scenario.cutovers


# ----------------------------------------------------------------------------- the ERP


def _erp(env: simpy.Environment, mode: str, emitted: list[tuple[float, str]]) -> Erp:
    config = ErpConfig(mode, False, 4, 0.1, 0.2, 0.0, 100, 900.0, 0.0)
    return Erp(
        env,
        random.Random(1),
        config,
        {("SKU-1", "DC1"): 0},  # its material and plant master: a plant it knows
        lambda kind, body: emitted.append((env.now, body["DocRef"])),
    )


def _write(erp: Erp, ref: str, answers: list[int]) -> None:
    body = {"DocRef": ref, "Plant": "DC1", "Reason": "receipt", "Items": []}
    erp.handle(
        "post_goods_movement", body, lambda status, answer, delay_s=0.0: answers.append(status)
    )


def test_going_to_the_api_imports_the_last_file_at_once_and_books_new_writes_directly() -> None:
    env = simpy.Environment()
    emitted: list[tuple[float, str]] = []
    erp = _erp(env, "legacy_batch", emitted)
    answers: list[int] = []
    env.run(until=100)
    _write(erp, "A", answers)
    env.run(until=400)
    assert answers == [202] and emitted == []  # waiting for the 15-minute import run
    erp.switch_mode("api")
    assert emitted == [(400, "A")]  # imported at cutover, not at 900 s
    _write(erp, "B", answers)
    env.run(until=3000)
    assert answers == [202, 201]
    assert [doc.ref for doc in erp.documents.values()] == ["A", "B"]
    assert emitted == [(400, "A")]  # no import runs after the cutover


def test_switching_back_and_forth_never_doubles_the_import_runs() -> None:
    env = simpy.Environment()
    emitted: list[tuple[float, str]] = []
    erp = _erp(env, "legacy_batch", emitted)
    env.run(until=100)
    erp.switch_mode("api")
    env.run(until=200)
    erp.switch_mode("legacy_batch")  # the run booked for 900 s is superseded
    answers: list[int] = []
    _write(erp, "A", answers)
    env.run(until=1000)
    assert emitted == []  # not imported by the superseded 900 s run
    env.run(until=1200)
    assert emitted == [(1100, "A")]  # 900 s after the switch back
    _write(erp, "B", answers)
    env.run(until=2100)
    assert emitted == [(1100, "A"), (2000, "B")]  # one run per interval


def test_a_cutover_while_the_erp_is_down_imports_the_last_file_when_it_is_back() -> None:
    env = simpy.Environment()
    emitted: list[tuple[float, str]] = []
    erp = _erp(env, "legacy_batch", emitted)
    answers: list[int] = []
    _write(erp, "A", answers)
    env.run(until=500)
    erp.down = True
    erp.switch_mode("api")
    env.run(until=1000)
    assert emitted == []  # the 900 s run found the ERP down
    erp.down = False
    env.run(until=2000)
    assert emitted == [(1800, "A")]  # the next run after it came back


def test_the_schedule_switches_the_estate_at_the_cutover_time(
    tiny_env: simpy.Environment, tiny_estate: Any
) -> None:
    schedule_cutovers(tiny_env, tiny_estate, (CutoverSpec(600.0, "legacy_batch"),))
    tiny_env.run(until=599)
    assert tiny_estate.erp.mode == "api"
    tiny_env.run(until=601)
    assert tiny_estate.erp.mode == "legacy_batch"


def test_cutovers_are_part_of_the_scenario_spec() -> None:
    raw = {
        "scenario": {"name": "c", "description": "d"},
        "backends": {"erp": {"mode": "legacy_batch"}},
        "cutovers": [{"at": "2h", "mode": "api"}],
    }
    assert scenario_from_dict(raw).cutovers == (CutoverSpec(7200.0, "api"),)
