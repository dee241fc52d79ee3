"""manifest.json: written last over every file of a folder, it tells a complete folder
from an unfinished one, and a folder as written from one whose files changed since."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from scenarios.reports import manifest
from scenarios.reports.manifest import IncompleteFolder


def _folder(root: Path) -> Path:
    folder = root / "out"
    (folder / "runs" / "v1" / "seed-1").mkdir(parents=True)
    (folder / "report.json").write_text('{"seed": 1}')
    (folder / "junit.xml").write_text("<testsuites/>")
    (folder / "runs" / "v1" / "seed-1" / "report.json").write_text('{"seed": 2}')
    return folder


def test_a_sealed_folder_verifies_and_lists_every_file_with_its_size(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    manifest.seal(folder / "runs" / "v1" / "seed-1", "run")
    sealed = manifest.seal(folder, "compare")
    assert [entry.path for entry in sealed.files] == [
        "junit.xml",
        "report.json",
        "runs/v1/seed-1/manifest.json",
        "runs/v1/seed-1/report.json",
    ]
    assert sealed.files[1].size == len('{"seed": 1}')
    assert manifest.verify(folder, "out") == sealed
    assert manifest.verify(folder / "runs" / "v1" / "seed-1", "run").kind == "run"
    # files nobody listed (SQLite's -shm of a server reading the folder) are not judged
    (folder / "read_model.sqlite-shm").write_bytes(b"\0" * 10)
    manifest.verify(folder, "out")
    assert not (folder / "manifest.json.partial").exists()


def test_a_folder_without_a_manifest_is_incomplete(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    with pytest.raises(IncompleteFolder, match=r"^out: incomplete: no manifest.json; either"):
        manifest.verify(folder, "out")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(IncompleteFolder, match=r"^empty: is empty$"):
        manifest.verify(empty, "empty")


def test_a_changed_file_is_caught_even_at_the_same_size(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    manifest.seal(folder, "run")
    (folder / "report.json").write_text('{"seed": 7}')
    with pytest.raises(IncompleteFolder, match=r"out: report.json is not the file that was wr"):
        manifest.verify(folder, "out")


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    folder = _folder(tmp_path)
    manifest.seal(folder, "run")
    (folder / "junit.xml").unlink()
    with pytest.raises(IncompleteFolder, match=r"out: junit.xml is missing, though manifest"):
        manifest.verify(folder, "out")


@pytest.mark.parametrize(
    "text",
    [
        "{",
        json.dumps({"format": "something-else/9", "kind": "run", "files": []}),
        json.dumps({"format": manifest.FORMAT, "kind": "run", "files": [{"path": "x"}]}),
    ],
    ids=["not json", "another format", "an entry without size"],
)
def test_an_unreadable_manifest_is_refused(tmp_path: Path, text: str) -> None:
    folder = _folder(tmp_path)
    (folder / "manifest.json").write_text(text)
    with pytest.raises(IncompleteFolder, match=r"out: manifest.json cannot be read"):
        manifest.verify(folder, "out")
