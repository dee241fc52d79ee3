"""What two read-model files written by `run --out` must share, as sorted lines: the
schema and every table's rows with their values' types (an int written where a float
was is a difference, as it is to a reader of the file)."""

from __future__ import annotations

import sqlite3
from pathlib import Path


def dump(path: Path) -> list[str]:
    """The schema and every table's rows with their values' types, sorted."""
    db = sqlite3.connect(path)
    try:
        lines = sorted(f"{n}: {s}" for n, s in db.execute("SELECT name, sql FROM sqlite_master"))
        tables = [n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        for table in sorted(tables):
            rows = db.execute(f'SELECT * FROM "{table}"')
            lines += sorted(f"{table} {[(type(v).__name__, v) for v in row]!r}" for row in rows)
        return lines
    finally:
        db.close()
