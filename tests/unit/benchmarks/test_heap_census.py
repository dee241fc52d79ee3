"""benchmarks/heap_census.py: every object reachable, untracked tuples included, named by
shape and by what first reached it, and what grew between two hours of a run, without
changing the run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks import heap_census
from benchmarks.heap_census import census, growth, shape
from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run

ROOT = Path(__file__).resolve().parents[3]


class Table:
    """A holder, as a table of shared lines is."""

    def __init__(self, lines: list[tuple[str, int]]) -> None:
        self.lines = lines


#: the holder's name as the census gives it (its module as pytest imported it)
TABLE = f"{Table.__module__}.Table"


def test_a_shape_names_a_tuple_by_its_first_items_and_a_class_by_its_module() -> None:
    assert shape(("a", 1, 2.0)) == "tuple(str,int,float)"
    assert shape(tuple(range(7))) == "tuple(int,int,int,int,int,..)"
    assert shape({}) == "dict" and shape(Table([])) == TABLE


def test_every_reachable_object_is_counted_once_under_what_first_held_it() -> None:
    shared = ("SKU-1", 1)
    lines = [(f"SKU-{n}", n) for n in range(1000)] + [shared, shared]
    taken = census("now", [Table(lines)])
    held = f"tuple(str,int) <- list <- {TABLE}"
    assert taken.counts[held] == 1001  # the shared line once
    assert taken.sizes[held] == sum(sys.getsizeof(line) for line in lines[:1001])
    assert taken.counts["str <- " + held] == 1001  # untracked tuples' strings reached too


def test_growth_lists_what_changed_most_first_and_skipped_objects_are_not_counted() -> None:
    # plain lists as roots: a class instance would reach its module, and through it the
    # whole process, whose other objects change meanwhile
    before = census("before", [[("a", 1)]])
    grown = [(f"x{n}", n) for n in range(500)]
    after = census("after", [grown, before], skip=[before, before.sizes, before.counts])
    alone = census("alone", [grown])
    assert (after.sizes, after.counts) == (alone.sizes, alone.counts)  # `before` not walked
    lines = growth(before, after, top=3)
    assert lines[0].startswith("from before to after: +")
    assert lines[1].endswith("tuple(str,int) <- list") and "+499" in lines[1]


def test_a_run_is_censused_at_its_hours_and_keeps_its_digest() -> None:
    # in a child, as a user runs it: in this process the census would walk everything
    # the test suite has imported and built so far (37 s in a full CI run, 1 s alone)
    words = ["steady-day", "--set", "scenario.scale=0.02", "--at", "6,24", "--top", "5"]
    child = subprocess.run(
        [sys.executable, "-m", "benchmarks.heap_census", *words],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert child.returncode == 0, child.stderr
    printed = child.stdout
    assert (
        "6.00 h: " in printed and "24.00 h: " in printed and "from 6.00 h to 24.00 h: " in printed
    )
    expected = run(load_scenario("steady-day", ["scenario.scale=0.02"])).seal.digest
    assert printed.rstrip().endswith(f"digest {expected}")


@pytest.mark.parametrize(
    ("words", "named"),
    [
        (["steady-day"], "--at"),
        (["steady-day", "--at", "six"], "expected hours separated by commas"),
        (["steady-day", "--at", "500"], "past the run's end"),
        (["no-such-scenario", "--at", "1"], "unknown scenario"),
    ],
)
def test_a_mistake_is_named_and_exits_2_before_the_run(
    words: list[str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        heap_census.main(words)
    assert exited.value.code == 2 and named in capsys.readouterr().err
