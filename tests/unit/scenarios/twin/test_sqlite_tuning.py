"""The twin turns SQLite's memory statistics off before sqlite3 is first imported (a mutex
taken for every allocation SQLite makes), in `retailtwin`'s process too; and a process
that initialised SQLite first is left as it was."""

from __future__ import annotations

import subprocess
import sys

import pytest

#: in a fresh process: import what argv[1] names, write some rows, and say whether the
#: twin's setting was taken and how many bytes SQLite counts as held
PROBE = """
import ctypes, importlib, importlib.util, sys
importlib.import_module(sys.argv[1])
from scenarios.twin.sqlite_tuning import quiet_sqlite
import sqlite3
db = sqlite3.connect(":memory:")
db.execute("CREATE TABLE t (x TEXT)")
db.executemany("INSERT INTO t VALUES (?)", [(str(i) * 10,) for i in range(1000)])
library = ctypes.CDLL(importlib.util.find_spec("_sqlite3").origin)
library.sqlite3_memory_used.restype = ctypes.c_int64
print(quiet_sqlite(), library.sqlite3_memory_used())
"""

linux_only = pytest.mark.skipif(sys.platform != "linux", reason="set on Linux only")


def probe(first: str) -> tuple[bool, int]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, first], capture_output=True, text=True, check=True
    )
    taken, used = out.stdout.split()
    return taken == "True", int(used)


@linux_only
def test_the_command_line_turns_sqlite_memory_statistics_off_before_sqlite3_is_imported() -> None:
    # the console script's module: every command imports the twin before sqlite3
    assert probe("scenarios.cli.main") == (True, 0)


def test_a_process_that_initialised_sqlite_first_keeps_its_statistics() -> None:
    taken, used = probe("sqlite3")
    assert not taken
    assert used > 0
