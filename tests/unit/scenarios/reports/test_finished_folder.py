"""What `serve --db` and `replay` accept: a complete run folder whose read model has
every table and its run document and whose report is of the same run; everything else
is refused with what is wrong and what to do."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pytest

from hub.adapters.read_model import ReadModel, sqlite_url
from hub.adapters.read_model.all_tables import metadata
from scenarios.reports import manifest
from scenarios.reports.finished_folder import complete_run_folder, servable_read_model
from scenarios.reports.manifest import IncompleteFolder

RUN = {"scenario": "steady-day", "seed": 4, "digest": "d1", "finished": True}


def _read_model(path: Path, run: dict[str, object] | None = RUN) -> None:
    async def write() -> None:
        read_model = ReadModel.open(sqlite_url(path))
        try:
            await read_model.create_schema()
            if run is not None:
                await read_model.put_document("run", dict(run))
        finally:
            await read_model.dispose()

    asyncio.run(write())


def _run_folder(root: Path, report_digest: str = "d1") -> Path:
    folder = root / "out"
    folder.mkdir()
    _read_model(folder / "read_model.sqlite")
    report = {"scenario": "steady-day", "seed": 4, "digest": report_digest}
    (folder / "report.json").write_text(json.dumps(report))
    manifest.seal(folder, "run")
    return folder


def test_a_complete_run_folder_is_served_and_replayed(tmp_path: Path) -> None:
    folder = _run_folder(tmp_path)
    assert servable_read_model(folder) == folder / "read_model.sqlite"
    assert servable_read_model(folder / "read_model.sqlite") == folder / "read_model.sqlite"
    assert complete_run_folder(folder, "out").kind == "run"
    assert sorted(p.name for p in folder.iterdir()) == [
        "manifest.json",
        "read_model.sqlite",
        "report.json",
    ]  # checking it left no -wal or -shm behind


def test_a_report_of_another_run_is_refused_even_when_resealed(tmp_path: Path) -> None:
    folder = _run_folder(tmp_path, report_digest="d2")
    with pytest.raises(IncompleteFolder) as refused:
        servable_read_model(folder)
    assert str(refused.value) == (
        f"--db {folder}: report.json (seed 4, digest d2) and read_model.sqlite (seed 4, "
        "digest d1) are of different runs; write the run again with `retailtwin run "
        "SCENARIO --out DIR`"
    )


def _bare_file(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "read_model.sqlite"
    path.write_bytes(content)
    return path


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = _bare_file(tmp_path, b"half a report, then nothing")
    with pytest.raises(IncompleteFolder, match=r"--db .*read_model.sqlite: is not a SQLite data"):
        servable_read_model(path)


def test_a_database_without_the_read_model_tables_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "read_model.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE orders (id TEXT)")
    with pytest.raises(
        IncompleteFolder,
        match=rf"has no table order_lines \(and {len(metadata.tables) - 2} more\);",
    ):
        servable_read_model(path)


def test_a_read_model_cut_short_before_its_run_document_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "read_model.sqlite"
    _read_model(path, run=None)
    with pytest.raises(IncompleteFolder, match=r"holds no finished run \(its run document"):
        servable_read_model(path)


def test_a_truncated_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "read_model.sqlite"
    _read_model(path)
    content = path.read_bytes()
    path.write_bytes(content[: len(content) // 3])
    with pytest.raises(IncompleteFolder, match=r"read_model.sqlite: (cannot be read|has no)"):
        servable_read_model(path)


def test_a_folder_in_the_old_layout_is_refused(tmp_path: Path) -> None:
    folder = _run_folder(tmp_path)
    (folder / "manifest.json").unlink()
    with pytest.raises(IncompleteFolder, match=r"incomplete: no manifest.json; either the"):
        servable_read_model(folder)
    # also when the read model is named directly: its folder claims to be complete or not
    (folder / "manifest.json").write_text("{}")
    with pytest.raises(IncompleteFolder, match=r"manifest.json cannot be read"):
        servable_read_model(folder / "read_model.sqlite")


def test_a_comparison_folder_is_neither_served_nor_replayed(tmp_path: Path) -> None:
    folder = tmp_path / "cmp"
    folder.mkdir()
    (folder / "compare.json").write_text("{}")
    manifest.seal(folder, "compare")
    with pytest.raises(IncompleteFolder, match=r"a comparison's folder, which holds no read"):
        servable_read_model(folder)
    with pytest.raises(IncompleteFolder, match=r"replay one of its runs, .*runs/VARIANT/seed-N"):
        complete_run_folder(folder, "cmp")


def test_a_missing_path_is_named(tmp_path: Path) -> None:
    with pytest.raises(IncompleteFolder, match=r"^--db .*/nowhere: no such folder or file; "):
        servable_read_model(tmp_path / "nowhere")
