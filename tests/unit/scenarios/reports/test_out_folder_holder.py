"""A writer refused an --out folder names the one holding it, even when both started
together and the holder has taken the lock but not yet written its name."""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path

import pytest

from scenarios.reports.out_folder import OutFolderError, _take_lock


def test_the_refusal_waits_for_the_holder_to_name_itself(tmp_path: Path) -> None:
    lock = tmp_path / "out.lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # taken, nothing written yet
    later = threading.Timer(0.2, lambda: os.pwrite(fd, b"pid 4242, `retailtwin run x`", 0))
    later.start()
    try:
        with pytest.raises(OutFolderError, match=r"another retailtwin is writing it \(pid 4242,"):
            _take_lock(lock, str(tmp_path), "--out")
    finally:
        later.join()
        os.close(fd)


def test_a_holder_that_never_names_itself_is_unknown(tmp_path: Path) -> None:
    lock = tmp_path / "out.lock"
    fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    try:
        with pytest.raises(OutFolderError, match=r"writing it \(unknown\)"):
            _take_lock(lock, str(tmp_path), "--out")
    finally:
        os.close(fd)
