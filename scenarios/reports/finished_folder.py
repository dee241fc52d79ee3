"""Reading a finished run's folder back: what `serve --db` and `replay` check before
they trust it.

A folder is taken only when it is complete as written: its manifest is there and every
file it lists has its recorded size and hash (`scenarios.reports.manifest`). The read
model is then opened as the server would open it: it must be a SQLite database with
every table of the read model and the run document, which is the last thing a finished
run's projection writes, and a report.json beside it must be of the same run (same seed
and digest). Whatever is wrong is said in one line with what to do about it, and the
command exits 2 before it binds a port or runs anything.
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

from scenarios.reports import manifest
from scenarios.reports.manifest import IncompleteFolder
from scenarios.twin.projection.read_model_file import READ_MODEL_FILE, read_model_path

REPORT_FILE = "report.json"
SQLITE_HEADER = b"SQLite format 3\x00"
WRITE_AGAIN = "write the run again with `retailtwin run SCENARIO --out DIR`"


def servable_read_model(path: Path, option: str = "--db") -> Path:
    """The read model file `serve --db PATH` may serve: PATH is a complete run folder,
    or a read model file that a finished run's projection wrote to the end (checked as
    part of its folder when that folder has a manifest)."""
    shown = f"{option} {path}"
    try:
        if path.is_dir():
            return _from_folder(path, shown)
        database = read_model_path(path)
        if not database.is_file():
            raise IncompleteFolder(f"{shown}: no such folder or file")
        if (database.parent / manifest.MANIFEST_FILE).is_file():
            return _from_folder(database.parent, f"{option} {database.parent}")
        check_database(database, shown)
        return database
    except IncompleteFolder as exc:
        raise IncompleteFolder(f"{exc}; {WRITE_AGAIN}", field=option) from None


def _from_folder(folder: Path, shown: str) -> Path:
    sealed = manifest.verify(folder, shown)
    if sealed.kind == "compare":
        raise IncompleteFolder(
            f"{shown}: a comparison's folder, which holds no read model (only `retailtwin "
            "run --out` writes one)"
        )
    if not sealed.lists(READ_MODEL_FILE):
        raise IncompleteFolder(f"{shown}: holds no {READ_MODEL_FILE}")
    database = folder / READ_MODEL_FILE
    run = check_database(database, f"{shown}: {READ_MODEL_FILE}")
    if sealed.lists(REPORT_FILE):
        _check_same_run(folder, run, shown)
    return database


def check_database(path: Path, shown: str) -> dict[str, Any]:
    """The run document of the finished run's read model at `path`; IncompleteFolder
    when it is not a SQLite database, lacks a table, or was not written to the end."""
    # the read model's tables are SQLAlchemy's: imported here, since `replay DIR` reads
    # a folder's manifest through this module and needs no database layer
    from hub.adapters.read_model.all_tables import metadata

    with path.open("rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if header != SQLITE_HEADER:
        raise IncompleteFolder(f"{shown}: is not a SQLite database")
    # immutable: read the file as it is, creating no -wal or -shm file beside it
    uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
    try:
        with closing(sqlite3.connect(uri, uri=True)) as db:
            rows = db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
            tables = {row[0] for row in rows}
            missing = [name for name in metadata.tables if name not in tables]
            if missing:
                more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
                raise IncompleteFolder(
                    f"{shown}: has no table {missing[0]}{more}; it is not a finished "
                    "run's read model, or its writing was cut short"
                )
            row = db.execute("SELECT body FROM documents WHERE name = 'run'").fetchone()
    except sqlite3.DatabaseError as exc:
        raise IncompleteFolder(f"{shown}: cannot be read as a SQLite database ({exc})") from None
    run = json.loads(row[0]) if row is not None else None
    if not isinstance(run, dict) or run.get("finished") is not True:
        raise IncompleteFolder(
            f"{shown}: holds no finished run (its run document, written last, is "
            "missing): its writing was cut short, or it is a live twin's database"
        )
    return run


def _check_same_run(folder: Path, run: dict[str, Any], shown: str) -> None:
    try:
        report = json.loads((folder / REPORT_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise IncompleteFolder(f"{shown}: {REPORT_FILE} cannot be read ({exc})") from None
    recorded = (report.get("seed"), report.get("digest"))
    served = (run.get("seed"), run.get("digest"))
    if recorded != served:
        raise IncompleteFolder(
            f"{shown}: {REPORT_FILE} (seed {recorded[0]}, digest {recorded[1]}) and "
            f"{READ_MODEL_FILE} (seed {served[0]}, digest {served[1]}) are of different runs"
        )


def complete_run_folder(folder: Path, shown: str) -> manifest.Manifest:
    """The manifest of a complete run folder (for `replay DIR`); IncompleteFolder
    naming what is wrong and what to do."""
    try:
        sealed = manifest.verify(folder, shown)
        if not sealed.lists(REPORT_FILE) and sealed.kind == "run":
            raise IncompleteFolder(f"{shown}: holds no {REPORT_FILE}")
    except IncompleteFolder as exc:
        raise IncompleteFolder(
            f"{exc}; {WRITE_AGAIN}, or replay a report.json on its own: `retailtwin "
            "replay PATH/report.json`",
            field="DIR",
        ) from None
    if sealed.kind == "compare":
        raise IncompleteFolder(
            f"{shown}: a comparison's folder; replay one of its runs, "
            f"{folder / 'runs' / 'VARIANT' / 'seed-N'}",
            field="DIR",
        )
    return sealed
