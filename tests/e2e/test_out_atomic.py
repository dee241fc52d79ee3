"""`run --out` and `compare --out` are atomic and exclusive, and `serve --db` serves only
a complete folder: real processes, killed with a real SIGKILL at several moments of
their writing, two writers at once, bad paths, and folders that were cut short.

The moments are chosen with RETAILTWIN_OUT_HOLD (the writer says where it holds and
waits for a line on stdin), except one: the kill while the read model is being written
comes as soon as a new read_model.sqlite shows up anywhere, with no help from the
writer.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from cli_runner import retailtwin
from writer_process import Served, Writer, served_run

from hub.adapters.read_model.all_tables import metadata
from scenarios.reports import integrity, manifest

SMALL = ("--set", "scenario.scale=0.2", "--set", "scenario.duration=6h")
#: a run of minutes: refused in seconds, it never started
LONG = "black-friday"
REFUSED_WITHIN_S = 60


def _run(out: Path, seed: int, *extra: str) -> tuple[str, ...]:
    return ("run", "steady-day", "--seed", str(seed), "--quiet", *extra, "--out", str(out))


def _report(out: Path) -> dict[str, Any]:
    report: dict[str, Any] = json.loads((out / "report.json").read_text())
    return report


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def _serves_its_own_run(out: Path) -> dict[str, Any]:
    """`serve --db OUT` serves, and the run it serves is the one report.json records."""
    served = served_run(out)
    report = _report(out)
    assert served.code is None, f"refused: {served.stderr}"
    assert served.status == 200 and served.run is not None, served
    assert served.run == {"seed": report["seed"], "digest": report["digest"]}
    manifest.verify(out, str(out))
    return report


@pytest.fixture(scope="module")
def earlier_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A complete folder of seed 1, copied into the tests that write over one."""
    out = tmp_path_factory.mktemp("earlier") / "out"
    result = retailtwin(*_run(out, 1, *SMALL))
    assert result.returncode in (0, 1), result.stdout + result.stderr
    return out


def _next_writer_is_not_blocked(out: Path) -> None:
    result = retailtwin(*_run(out, 3, *SMALL))
    assert result.returncode in (0, 1), result.stdout + result.stderr
    assert "left by a writer that was killed" in result.stdout
    assert _leftovers(out) == []
    assert _serves_its_own_run(out)["seed"] == 3


@pytest.mark.parametrize("moment", ["claimed", "reports", "sealed", "swapped"])
def test_a_writer_killed_at_any_moment_leaves_the_earlier_run_or_the_new_one(
    tmp_path: Path, earlier_run: Path, moment: str
) -> None:
    out = tmp_path / "out"
    shutil.copytree(earlier_run, out)
    with Writer(*_run(out, 2, *SMALL), hold=moment) as writer:
        writer.held()
        writer.kill()
    # before the swap the earlier run is whole at OUT; from the swap on, the new one
    assert _serves_its_own_run(out)["seed"] == (2 if moment == "swapped" else 1)
    _next_writer_is_not_blocked(out)


def _new_read_model(root: Path, since_ns: int) -> Path | None:
    """A read_model.sqlite under `root` (hidden folders too) that has begun to be
    written since `since_ns` (by modification time: an inode number is reused at once)."""
    for path in root.glob("*/read_model.sqlite"):
        try:
            stat = path.stat()
        except FileNotFoundError:
            continue
        if stat.st_mtime_ns > since_ns and stat.st_size > 0:
            return path
    return None


@pytest.mark.parametrize("earlier", [False, True], ids=["new folder", "over an earlier run"])
def test_a_writer_killed_while_the_read_model_is_written_leaves_nothing_half_written(
    tmp_path: Path, earlier_run: Path, earlier: bool
) -> None:
    out = tmp_path / "out"
    if earlier:
        shutil.copytree(earlier_run, out)  # copy2 keeps the earlier run's times
    since_ns = time.time_ns()
    # a full steady day: its read model takes long enough to write to be caught at it
    with Writer(*_run(out, 2)) as writer:
        caught = writer.wait_for(lambda: _new_read_model(tmp_path, since_ns))
        writer.kill()
    assert not (caught.parent / "manifest.json").exists(), "killed after it was complete"
    if earlier:
        assert _serves_its_own_run(out)["seed"] == 1
    else:
        served = served_run(out)
        assert served.code == 2, f"served it: {served}"
        assert f"--db {out}: no such folder or file" in served.stderr
    _next_writer_is_not_blocked(out)


def _first_to_end(writers: dict[int, Writer], timeout_s: float = 120) -> int:
    """The seed of the first writer whose process has ended."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for seed, writer in writers.items():
            if writer.process.poll() is not None:
                return seed
        time.sleep(0.01)
    raise AssertionError(f"neither writer ended in {timeout_s} s: both claimed the folder")


def test_two_writers_at_once_into_one_folder_the_second_is_refused(tmp_path: Path) -> None:
    """Both start together and both would hold once they have claimed the folder, so the
    one that claims first cannot finish before the other tries: on a busy machine the
    first had once written its whole run before the second began, and both passed."""
    out = tmp_path / "out"
    with (
        Writer(*_run(out, 1, *SMALL), hold="claimed") as first,
        Writer(*_run(out, 2, *SMALL), hold="claimed") as second,
    ):
        writers = {1: first, 2: second}
        loser = _first_to_end(writers)
        winner = 3 - loser
        writers[winner].held()
        writers[winner].go_on()
        results = {seed: writer.finish() for seed, writer in writers.items()}
    code, _, message = results[loser]
    assert code == 2, results
    assert f"--out {out}: another retailtwin is writing it (pid {writers[winner].pid}" in message
    assert results[winner][0] in (0, 1), results[winner]
    assert _serves_its_own_run(out)["seed"] == winner
    assert _leftovers(out) == []


def test_a_second_writer_is_refused_at_once_naming_the_first(tmp_path: Path) -> None:
    out = tmp_path / "out"
    with Writer(*_run(out, 1, *SMALL), hold="claimed") as first:
        first.held()
        started = time.monotonic()
        second = retailtwin("run", LONG, "--quiet", "--out", str(out))
        assert time.monotonic() - started < REFUSED_WITHIN_S
        assert second.returncode == 2, second.stdout + second.stderr
        assert (
            f"retailtwin: error: --out {out}: another retailtwin is writing it (pid "
            f"{first.pid}, `retailtwin run steady-day --seed 1" in second.stderr
        )
        assert "wait for it to finish, or write elsewhere" in second.stderr
        compared = retailtwin("compare", LONG, "--vary", "hub.sync=event", "--out", str(out))
        assert compared.returncode == 2 and "another retailtwin is writing it" in compared.stderr
        first.go_on()
        code, _, _ = first.finish()
    assert code in (0, 1)
    assert _serves_its_own_run(out)["seed"] == 1


def _a_file(root: Path) -> Path:
    (root / "taken").write_text("someone's file\n")
    return root / "taken"


def _under_a_file(root: Path) -> Path:
    return _a_file(root) / "out"


def _someones_folder(root: Path) -> Path:
    (root / "mine").mkdir()
    (root / "mine" / "thesis.tex").write_text("")
    return root / "mine"


@pytest.mark.parametrize(
    ("where", "message"),
    [
        (_a_file, "{out}: is a file; expected a folder"),
        (lambda root: Path("/proc/x"), "{out}: cannot create anything in /proc"),
        (_under_a_file, "{out}: {root}/taken is a file, so no folder can be made under it"),
        (_someones_folder, "{out}: holds files retailtwin did not write (thesis.tex)"),
    ],
    ids=["an existing file", "/proc/x", "under a file", "someone's folder"],
)
@pytest.mark.parametrize("command", ["run", "compare"])
def test_a_bad_out_is_refused_before_the_run_starts(
    tmp_path: Path, where: Callable[[Path], Path], message: str, command: str
) -> None:
    out = where(tmp_path)
    before = sorted(tmp_path.rglob("*"))
    args = ("--vary", "hub.sync=event,batch:15m") if command == "compare" else ()
    started = time.monotonic()
    result = retailtwin(command, LONG, *args, "--quiet", "--out", str(out), timeout=120)
    assert time.monotonic() - started < REFUSED_WITHIN_S, "the run started"
    assert result.returncode == 2, result.stdout + result.stderr
    assert f"retailtwin: error: --out {message.format(out=out, root=tmp_path)}" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert sorted(tmp_path.rglob("*")) == before


def _reseal(out: Path) -> None:
    manifest.seal(out, "run")


def _no_manifest(out: Path) -> None:
    (out / "manifest.json").unlink(missing_ok=True)


def _no_tables(out: Path) -> None:
    (out / "read_model.sqlite").unlink()
    with closing(sqlite3.connect(out / "read_model.sqlite")) as db:
        db.execute("CREATE TABLE documents (name TEXT, body TEXT)")
    _reseal(out)


def _not_a_database(out: Path) -> None:
    (out / "read_model.sqlite").write_bytes(b"\0" * 4096)
    _reseal(out)


def _report_of_another_run(out: Path) -> None:
    report = _report(out)
    report["seed"], report["digest"] = 9, "0" * 32
    del report["integrity"]
    (out / "report.json").write_text(json.dumps(integrity.seal(report)))
    _reseal(out)


def _changed_after(out: Path) -> None:
    with (out / "read_model.sqlite").open("r+b") as handle:
        handle.seek(20_000)
        handle.write(b"\xff" * 64)


def _cut_short(out: Path) -> None:
    with closing(sqlite3.connect(out / "read_model.sqlite")) as db:
        db.execute("DELETE FROM documents WHERE name = 'run'")
        db.commit()
    _reseal(out)


#: the read model's tables: a database without them is named by the first and a count
TABLES = len(metadata.tables)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_no_manifest, "incomplete: no manifest.json; either the command that wrote it"),
        (_no_tables, f"read_model.sqlite: has no table orders (and {TABLES - 2} more)"),
        (_not_a_database, "read_model.sqlite: is not a SQLite database"),
        (_report_of_another_run, "report.json (seed 9, digest 000"),
        (_changed_after, "read_model.sqlite is not the file that was written there"),
        (_cut_short, "read_model.sqlite: holds no finished run (its run document"),
        (lambda out: shutil.rmtree(out) or out.mkdir(), "is empty"),
    ],
    ids=[
        "no manifest",
        "no tables",
        "not a database",
        "report of another run",
        "changed after",
        "cut short",
        "empty",
    ],
)
def test_serve_refuses_a_folder_that_is_not_complete(
    tmp_path: Path, earlier_run: Path, damage: Callable[[Path], None], message: str
) -> None:
    out = tmp_path / "out"
    shutil.copytree(earlier_run, out)
    damage(out)
    served: Served = served_run(out)
    assert served.code == 2, f"served it: {served}"
    assert served.stderr.startswith(f"retailtwin: error: --db {out}"), served.stderr
    assert message in served.stderr
    assert "write the run again with `retailtwin run SCENARIO --out DIR`" in served.stderr
    assert "Traceback" not in served.stderr


def test_compare_is_published_whole_or_not_at_all(tmp_path: Path) -> None:
    out = tmp_path / "cmp"
    args = (
        *("compare", "steady-day", *SMALL, "--vary", "hub.sync=event,batch:15m"),
        *("--seeds", "1", "--jobs", "2", "--quiet", "--no-run-html", "--out", str(out)),
    )
    with Writer(*args, hold="sealed") as writer:
        staging = writer.held()
        assert (staging / "manifest.json").is_file() and not out.exists()
        writer.kill(group=True)
    assert not out.exists()
    result = retailtwin(*args)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"removed {staging}, left by a writer that was killed" in result.stdout
    assert manifest.verify(out, str(out)).kind == "compare"
    runs = sorted(out.glob("runs/*/seed-*"))
    assert len(runs) == 2
    for run in runs:
        assert manifest.verify(run, str(run)).kind == "run"
    assert _leftovers(out) == []
    replayed = retailtwin("replay", str(runs[0]), "--quiet")
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr
