"""SQLite's settings for the read model, by how its file is used: read while it is
written (a live twin's, the default), or written once, whole, before anyone reads it (a
finished run's, in an output folder's staging folder)."""

from __future__ import annotations

from typing import Any


def sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """WAL lets the API read while the projector writes (and several processes read one
    file); NORMAL sync is safe under WAL and keeps bulk writes fast."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def write_once_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """For a SQLite file nobody reads until it is complete: a finished run's read model,
    written into an output folder's staging folder, which is flushed to disk file by
    file (`fsync`) when it is sealed and only then renamed where readers look.

    No journal (`journal_mode=OFF`): a write that fails half-way leaves a file that is
    never published, so there is nothing to roll back to. No syncs
    (`synchronous=OFF`): the seal flushes the whole file once, before the rename makes
    it visible. Acceptable only because of that rename: a database a reader can open
    while it is written (a live twin's) would be left corrupt by a crash, and keeps
    `sqlite_pragmas`. The file is handed to readers in WAL mode all the same
    (`ReadModelStore.hand_to_readers`)."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=OFF")
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()
