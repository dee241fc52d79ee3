"""An output folder's life: checked, claimed by one writer, written aside, published by
rename, replacing an earlier complete folder so that a crash leaves the old or the new
one, and what a killed writer left is cleaned up by the next."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from scenarios.reports import atomic_swap, manifest, out_folder
from scenarios.reports.out_folder import OutFolder, OutFolderError, claimed


def _write(folder: OutFolder, seed: int) -> None:
    (folder.staging / "report.json").write_text(f'{{"seed": {seed}}}')


def _siblings(target: Path) -> list[str]:
    return sorted(p.name for p in target.parent.iterdir() if p.name.startswith(f".{target.name}"))


def test_a_new_folder_appears_complete_and_nothing_is_left_beside_it(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "out"
    with claimed(target) as folder:
        assert folder.staging.parent == target.parent
        assert _siblings(target) == [".out.lock", f".out.partial-{os.getpid()}"]
        _write(folder, 1)
        assert not target.exists()
        folder.publish("run")
    assert (target / "report.json").read_text() == '{"seed": 1}'
    assert manifest.verify(target, "out").kind == "run"
    assert _siblings(target) == []


@pytest.mark.parametrize("can_exchange", [True, False], ids=["renameat2", "two renames"])
def test_a_complete_folder_is_replaced_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, can_exchange: bool
) -> None:
    if not can_exchange:
        monkeypatch.setattr(out_folder, "exchange", lambda first, second: False)
    target = tmp_path / "out"
    for seed in (1, 2):
        with claimed(target) as folder:
            _write(folder, seed)
            if seed == 1:
                (folder.staging / "junit.xml").write_text("<testsuites/>")
            folder.publish("run")
    assert (target / "report.json").read_text() == '{"seed": 2}'
    assert not (target / "junit.xml").exists()  # nothing of the first run is mixed in
    assert _siblings(target) == []


def test_a_folder_that_is_not_published_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "out"
    with pytest.raises(RuntimeError), claimed(target) as folder:
        _write(folder, 1)
        raise RuntimeError("the run failed")
    assert not target.exists() and _siblings(target) == []


def test_writing_that_fails_says_nothing_was_published(tmp_path: Path) -> None:
    target = tmp_path / "out"
    no_space = r"--out .*out: writing failed \(.*No space"
    with pytest.raises(OutFolderError, match=no_space), claimed(target):
        raise OSError(28, "No space left on device")
    assert _siblings(target) == []


def test_a_second_writer_is_refused_while_the_first_holds_the_folder(tmp_path: Path) -> None:
    target = tmp_path / "out"
    with claimed(target) as first:
        with pytest.raises(OutFolderError) as refused:
            OutFolder.claim(target)
        assert f"another retailtwin is writing it (pid {os.getpid()}" in str(refused.value)
        assert first.staging.is_dir()  # the refusal did not disturb the first writer
        _write(first, 1)
        first.publish("run")
    with claimed(target) as third:  # and once it is done, the folder is free
        third.publish("run")


def _a_file(root: Path) -> None:
    (root / "f").write_text("x")


def _someones_folder(root: Path) -> None:
    (root / "mine").mkdir()
    (root / "mine" / "notes.txt").write_text("")


def _nothing(root: Path) -> None:
    pass


@pytest.mark.parametrize(
    ("make", "given", "message"),
    [
        (_a_file, "f", r"--out .*/f: is a file; expected"),
        (_a_file, "f/sub", r"/f is a file, so no folder"),
        (_nothing, "/proc/x", r"--out /proc/x: cannot create anything in /proc \("),
        (_someones_folder, "mine", r"did not write \(notes.txt\); --out replaces"),
        (_nothing, "/", r"--out /: is the root folder"),
    ],
    ids=["a file", "under a file", "/proc/x", "someone's folder", "the root"],
)
def test_a_folder_that_cannot_be_used_is_refused_before_anything_is_written(
    tmp_path: Path, make: Callable[[Path], None], given: str, message: str
) -> None:
    make(tmp_path)
    before = sorted(tmp_path.rglob("*"))
    path = Path(given) if given.startswith("/") else tmp_path / given
    with pytest.raises(OutFolderError, match=message):
        OutFolder.claim(path)
    assert sorted(tmp_path.rglob("*")) == before


def _killed_claim(target: Path) -> int:
    """A real process that claims `target`, then dies by SIGKILL; returns its pid."""
    code = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from scenarios.reports.out_folder import OutFolder
        folder = OutFolder.claim(Path({str(target)!r}))
        (folder.staging / "report.json").write_text("half")
        print(os.getpid(), flush=True)
        os.kill(os.getpid(), signal.SIGKILL)
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == -9, done.stderr
    return int(done.stdout)


def test_a_claim_left_by_a_killed_writer_does_not_block_the_next(tmp_path: Path) -> None:
    target = tmp_path / "out"
    pid = _killed_claim(target)
    assert _siblings(target) == [".out.lock", f".out.partial-{pid}"]
    with claimed(target) as folder:
        assert folder.cleaned == [
            f"removed {tmp_path / f'.out.partial-{pid}'}, left by a writer that was killed"
        ]
        _write(folder, 2)
        folder.publish("run")
    assert _siblings(target) == []
    assert (target / "report.json").read_text() == '{"seed": 2}'


def test_a_folder_renamed_aside_by_a_killed_writer_is_put_back(tmp_path: Path) -> None:
    """Without renameat2, a crash between the two renames leaves the old folder aside
    and none at the target; the next writer restores it before doing anything else."""
    target = tmp_path / "out"
    with claimed(target) as folder:
        _write(folder, 1)
        folder.publish("run")
    target.rename(tmp_path / ".out.old-99999")
    with claimed(target) as folder:
        assert folder.cleaned == [
            f"put back {target} from {tmp_path / '.out.old-99999'}, where a writer killed "
            "while replacing it had left it"
        ]
        assert manifest.verify(target, "out").kind == "run"
        assert (target / "report.json").read_text() == '{"seed": 1}'


def test_exchange_swaps_two_folders_in_one_step(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "one").write_text("")
    (second / "two").write_text("")
    if not atomic_swap.exchange(first, second):
        pytest.skip("no renameat2(RENAME_EXCHANGE) here")
    assert [p.name for p in first.iterdir()] == ["two"]
    assert [p.name for p in second.iterdir()] == ["one"]
    with pytest.raises(FileNotFoundError):
        atomic_swap.exchange(first, tmp_path / "missing")
