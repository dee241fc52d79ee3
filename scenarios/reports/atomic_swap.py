"""Swapping two paths in one step, so a folder is replaced without a moment in which
neither the old nor the new one is in place.

Linux has had `renameat2(RENAME_EXCHANGE)` since 3.15 (glibc exposes it since 2.28):
both names stay bound throughout, each to the other's file. Python's standard library
does not wrap it, so it is called through ctypes. Where it is missing (another system,
an old C library) or the file system does not support it, `exchange` says so and the
caller falls back to two renames.
"""

from __future__ import annotations

import ctypes
import errno
import os
from functools import cache
from pathlib import Path
from typing import Any

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
#: what renameat2 answers when this kernel or file system cannot exchange
_UNSUPPORTED = {errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP}


@cache
def _renameat2() -> Any:
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    function.argtypes = (
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    )
    function.restype = ctypes.c_int
    return function


def exchange(first: Path, second: Path) -> bool:
    """Swap `first` and `second` (both must exist) atomically: True when done, False
    when this system cannot (nothing was changed); OSError for any other failure."""
    function = _renameat2()
    if function is None:
        return False
    if function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE):
        code = ctypes.get_errno()
        if code in _UNSUPPORTED:
            return False
        raise OSError(code, os.strerror(code), str(first), None, str(second))
    return True
