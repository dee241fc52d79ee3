"""The journal's log on disk: committed entries appended to a file as the run goes.

A hub's durable store is a log on disk, and so is the simulated one's: each committed
entry is written out (length-prefixed, in the order committed) instead of being held in
memory, so what a day costs in memory no longer grows with every message the hub ever
handled. At black-friday scale the log held in memory was about a sixth of the run's
resident memory; on disk it is a file of a few hundred megabytes, removed when the run
ends (a temporary file unlinked as soon as it is made: the operating system deletes it
when its descriptor closes, which the log does when it is dropped, or when the process
ends, even killed).

Entries that are not bytes (one holding something that cannot be written) stay in memory,
marked in the file by their place, so the log is read back in exactly the order it was
written.
"""

from __future__ import annotations

import os
import struct
import tempfile
import weakref
from collections.abc import Iterator
from typing import Generic, TypeVar

Held = TypeVar("Held")

_HEADER = struct.Struct("<I")
_pack = _HEADER.pack
#: the length field's value for "the entry is held in memory, at the next place"
_IN_MEMORY = 0xFFFFFFFF
#: bytes gathered before one write to the file (and one read back)
_BLOCK = 1 << 20


class JournalFile(Generic[Held]):
    """An append-only log of byte records (and the odd object held in memory), read back
    oldest first."""

    __slots__ = ("__weakref__", "_close", "_count", "_fd", "_held", "_pending", "_written")

    def __init__(self) -> None:
        self._fd: int | None = None
        self._close: weakref.finalize[[int], JournalFile[Held]] | None = None
        self._pending = bytearray()
        self._held: list[Held] = []
        self._count = 0
        #: bytes already in the file
        self._written = 0

    def append(self, record: bytes | Held) -> None:
        pending = self._pending  # extended in place: the same buffer
        if isinstance(record, bytes):
            pending += _pack(len(record))
            pending += record
        else:
            pending += _pack(_IN_MEMORY)
            self._held.append(record)
        self._count += 1
        if len(pending) >= _BLOCK:
            self._write_pending()

    def __len__(self) -> int:
        return self._count

    def __iter__(self) -> Iterator[bytes | Held]:
        """Every record appended so far, oldest first; records appended while this is
        read are not part of it (a replay reads the log as it was when it began)."""
        self._write_pending()
        end, count = self._written, self._count
        held = iter(self._held[:])
        buffer = b""
        offset = 0
        position = 0
        for _ in range(count):
            if len(buffer) - position < _HEADER.size:
                buffer, position, offset = self._refill(buffer, position, offset, end)
            (length,) = _HEADER.unpack_from(buffer, position)
            position += _HEADER.size
            if length == _IN_MEMORY:
                yield next(held)
                continue
            if len(buffer) - position < length:
                buffer, position, offset = self._refill(buffer, position, offset, end, length)
            yield buffer[position : position + length]
            position += length

    def close(self) -> None:
        if self._close is not None:
            self._close()
            self._close = None
        self._fd = None

    def _refill(
        self, buffer: bytes, position: int, offset: int, end: int, wanted: int = 0
    ) -> tuple[bytes, int, int]:
        """The unread rest of `buffer` and the next block of the file, at least
        `wanted` bytes beyond a header when a record is longer than a block."""
        assert self._fd is not None, "records were counted that were never written"
        size = max(_BLOCK, wanted + _HEADER.size)
        more = os.pread(self._fd, min(size, end - offset), offset)
        return buffer[position:] + more, 0, offset + len(more)

    def _write_pending(self) -> None:
        if not self._pending:
            return
        if self._fd is None:
            self._fd = _unnamed_file()
            self._close = weakref.finalize(self, os.close, self._fd)
        view = memoryview(self._pending)
        while view:
            view = view[os.write(self._fd, view) :]
        self._written += len(self._pending)
        self._pending = bytearray()


def _unnamed_file() -> int:
    """A descriptor of a new file in the temporary folder that no name points to."""
    fd, path = tempfile.mkstemp(prefix="retailtwin-journal-")
    os.unlink(path)
    return fd
