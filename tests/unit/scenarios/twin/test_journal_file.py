"""The journal's log on disk gives back exactly what was appended, in order."""

from __future__ import annotations

import os

from hypothesis import given, settings
from hypothesis import strategies as st

from scenarios.twin.journal_file import _BLOCK, JournalFile

Record = bytes | tuple[str, int]


def records() -> st.SearchStrategy[list[Record]]:
    small = st.binary(max_size=300)
    large = st.integers(min_value=_BLOCK - 10, max_value=_BLOCK * 2 + 7).map(lambda n: b"x" * n)
    held = st.tuples(st.just("action"), st.integers())
    return st.lists(st.one_of(small, small, small, large, held), max_size=60)


@settings(max_examples=40, deadline=None)
@given(records())
def test_what_is_read_back_is_what_was_appended(appended: list[Record]) -> None:
    log: JournalFile[tuple[str, int]] = JournalFile()
    for record in appended:
        log.append(record)
    assert len(log) == len(appended)
    assert list(log) == appended
    assert list(log) == appended  # read twice: the same
    log.close()


def test_a_reading_sees_the_log_as_it_was_when_it_began() -> None:
    log: JournalFile[str] = JournalFile()
    for n in range(5):
        log.append(b"%d" % n)
    reading = iter(log)
    assert next(reading) == b"0"
    log.append(b"late")
    log.append("held late")
    assert list(reading) == [b"1", b"2", b"3", b"4"]
    assert list(log)[-2:] == [b"late", "held late"]


def test_the_records_are_on_disk_not_in_memory() -> None:
    log: JournalFile[str] = JournalFile()
    for _ in range(3 * _BLOCK // 1000):
        log.append(b"y" * 996)
    assert log._written >= 2 * _BLOCK  # the log's file holds them
    assert len(log._pending) < _BLOCK
    fd = log._fd
    assert fd is not None and os.fstat(fd).st_size == log._written
    assert os.fstat(fd).st_nlink == 0  # no name points to it: it goes when it is closed
    log.close()


def test_a_dropped_log_closes_its_file() -> None:
    log: JournalFile[str] = JournalFile()
    log.append(b"z" * (_BLOCK + 1))
    fd = log._fd
    assert fd is not None
    del log
    try:
        os.fstat(fd)
    except OSError:
        return
    raise AssertionError("the descriptor is still open")
