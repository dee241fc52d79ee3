"""SQLite's process-wide settings for a run: no memory statistics.

A run talks to SQLite through the standard library's sqlite3 all day (the spill of
finished records, `record_spill`, and the hub's archive, `hub_archive`), and `run --out`
writes its read model through it (`hub/adapters/read_model/run_file.py`). SQLite keeps
a count of the memory it holds unless told not to (`SQLITE_CONFIG_MEMSTATUS`, on by
default), and it counts under a mutex: every allocation and every free takes and
releases one. Debian's build (and others) leaves out SQLite's lookaside allocator
(`OMIT_LOOKASIDE`), so each small allocation of a statement's step or bound value
goes to `malloc` through that mutex. Nothing here reads the count (it serves
`sqlite3_memory_used` and the soft heap limit, which nothing sets), so the twin turns
it off. The read model's rows written into a new file (steady-day: 88,800 rows):
`executemany` about 15 % less CPU time, measured.

SQLite takes such a setting only before it is initialised, which the sqlite3 module
does when it is first imported, so `quiet_sqlite` runs when this package is imported
(`scenarios/twin/__init__.py`), before any module of it imports sqlite3. Where SQLite
was initialised already (a process that imported sqlite3 first), or the library cannot
be reached, nothing changes: the setting changes no result, only the work of counting.
"""

from __future__ import annotations

import ctypes
import importlib.util
import sys
from functools import cache

#: `sqlite3_config`'s option for the memory statistics (sqlite3.h)
SQLITE_CONFIG_MEMSTATUS = 9
#: what `sqlite3_config` answers when it took the setting
SQLITE_OK = 0


@cache
def quiet_sqlite() -> bool:
    """Turn SQLite's memory statistics off for this process; True when SQLite took it.

    Linux only: `sqlite3_config` is variadic, which ctypes calls as a plain function,
    the same call on Linux's calling conventions (x86-64, arm64) but not on macOS's
    arm64. Reached through the sqlite3 module's own extension (its `_sqlite3` library,
    opened without importing it), so it is the SQLite that module calls."""
    if sys.platform != "linux" or "_sqlite3" in sys.modules:
        return False
    spec = importlib.util.find_spec("_sqlite3")
    if spec is None or spec.origin is None:
        return False
    try:
        config = ctypes.CDLL(spec.origin).sqlite3_config
    except (OSError, AttributeError):
        return False
    config.restype = ctypes.c_int
    return bool(config(ctypes.c_int(SQLITE_CONFIG_MEMSTATUS), ctypes.c_int(0)) == SQLITE_OK)
