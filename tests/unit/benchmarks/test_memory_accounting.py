"""benchmarks/memory_accounting.py: resident memory by mapping, every holder read in one
row, the highest step and where the high-water last rose, and two runs side by side."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import memory_accounting
from benchmarks.memory_accounting import (
    ROOT,
    highest,
    mapping_kind,
    read_csv,
    reading,
    resident_by_mapping,
    risen_by,
    side_by_side,
    sqlite_memory_used,
    write_csv,
)

SMAPS = f"""\
55d0c0a00000-55d0c1e00000 rw-p 00000000 00:00 0                          [heap]
Size:              20480 kB
Rss:               20000 kB
7f0000000000-7f0000100000 rw-p 00000000 00:00 0
Size:               1024 kB
Rss:                1024 kB
7f0000200000-7f0000300000 r-xp 00000000 08:01 42     {ROOT}hub/inventory.cpython-311.so
Rss:                 300 kB
7f0000400000-7f0000500000 r-xp 00000000 08:01 43     /usr/lib/libsqlite3.so.0.8.6
Rss:                 700 kB
VmFlags: rd ex mr mw me sd
7f0000600000-7f0000601000 r--p 00000000 08:01 44     /usr/lib/locale/C.utf8/LC_CTYPE
Rss:                   4 kB
"""


def test_each_mapping_is_counted_under_its_kind() -> None:
    kinds = resident_by_mapping(SMAPS)
    assert kinds == {
        "[heap]": 20000 * 1024,
        "anonymous": 1024 * 1024,
        "compiled .so": 300 * 1024,
        "other .so": 700 * 1024,
        "other files": 4 * 1024,
    }
    assert mapping_kind("") == "anonymous" and mapping_kind("[stack]") == "[stack]"


def test_a_reading_of_this_process_sees_memory_it_holds() -> None:
    before = reading("before", 0.0, 0, sqlite_memory_used())
    # above glibc's mmap threshold however far it has risen (it follows the largest
    # mapping freed so far, up to 32 MiB): a mapping of its own, whatever ran before in
    # this process (a pytest-xdist worker runs many modules' tests)
    held = bytearray(40 * 2**20)
    held[::4096] = b"x" * len(held[::4096])  # touched, so resident
    after = reading("after", 1.0, 7, sqlite_memory_used())
    assert float(after["map anonymous"]) - float(before["map anonymous"]) >= 39.5
    assert float(after["glibc mapped"]) - float(before["glibc mapped"]) >= 39.5
    assert after["simpy queue"] == 7 and float(after["small live"]) > 0
    del held


def test_the_highest_step_and_the_step_by_which_the_high_water_last_rose() -> None:
    rows: list[dict[str, float | str]] = [
        {"at": "1 h", "rss": 10.0, "hwm": 12.0},
        {"at": "2 h", "rss": 11.0, "hwm": 15.0},  # a transient within the step
        {"at": "3 h", "rss": 13.0, "hwm": 15.0},
        {"at": "judged", "rss": 9.0, "hwm": 15.0},
    ]
    assert highest(rows)["at"] == "3 h"
    assert risen_by(rows) == "2 h"


def test_two_runs_side_by_side_with_the_difference(tmp_path: Path) -> None:
    a = tmp_path / "a.csv"
    b = tmp_path / "b.csv"
    write_csv(
        str(a), [{"at": "1 h", "hour": 1.0, "rss": 300.0}, {"at": "2 h", "hour": 2.0, "rss": 310.5}]
    )
    write_csv(str(b), [{"at": "9 h", "hour": 9.0, "rss": 321.0, "sqlite": 2.0}])
    assert read_csv(str(a))[1] == {"at": "2 h", "hour": 2.0, "rss": 310.5}
    lines = side_by_side([("a", highest(read_csv(str(a)))), ("b", highest(read_csv(str(b))))])
    rss = next(line for line in lines if line.startswith("rss"))
    assert rss.split()[1:] == ["310.50", "321", "+10.50"]
    sqlite = next(line for line in lines if line.startswith("sqlite"))
    assert sqlite.split()[1:] == ["2"]  # only one run has it: no difference


def test_diff_prints_both_highest_steps(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "one.csv"
    write_csv(str(path), [{"at": "1 h", "hour": 1.0, "rss": 5.0}])
    assert memory_accounting.main(["--diff", str(path), str(path)]) == 0
    assert "+0.00" in capsys.readouterr().out


def test_a_small_run_is_read_after_every_step_then_at_its_end_and_once_judged() -> None:
    rows, outcome = memory_accounting.account("steady-day", ["scenario.scale=0.02"])
    assert [row["at"] for row in rows[-2:]] == ["run's end", "judged"]
    assert len(rows) > 100 and outcome.startswith("digest ")
    assert all(float(row["rss"]) > 0 for row in rows)
