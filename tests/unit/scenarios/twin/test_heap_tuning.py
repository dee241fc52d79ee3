"""The run holds glibc's mmap threshold fixed, so a large block freed does not make the
large blocks after it come from a heap that only shrinks from its top."""

from __future__ import annotations

import platform
import subprocess
import sys

import pytest

from scenarios.spec.loader import load_scenario
from scenarios.twin import runtime

#: in a fresh process: free a 4 MiB block, then take a 1 MiB one and say how many bytes
#: glibc holds in blocks of their own (`mallinfo2().hblkhd`) while it is taken
PROBE = """
import ctypes, sys
from scenarios.twin.heap_tuning import fix_mmap_threshold

class MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd",
        "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

libc = ctypes.CDLL("libc.so.6")
libc.malloc.restype = ctypes.c_void_p
libc.malloc.argtypes = [ctypes.c_size_t]
libc.free.argtypes = [ctypes.c_void_p]
libc.mallinfo2.restype = MallInfo2
if sys.argv[1] == "fixed":
    assert fix_mmap_threshold()
libc.free(libc.malloc(4 << 20))
before = libc.mallinfo2().hblkhd
block = libc.malloc(1 << 20)
print(libc.mallinfo2().hblkhd - before)
libc.free(block)
"""

glibc_only = pytest.mark.skipif(
    platform.libc_ver()[0] != "glibc", reason="mallopt is glibc's; elsewhere nothing is set"
)


def mapped_bytes_of_a_1_mib_block(mode: str) -> int:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, mode], capture_output=True, text=True, check=True
    )
    return int(out.stdout)


@glibc_only
def test_glibc_default_serves_a_block_from_the_heap_after_a_larger_one_was_freed() -> None:
    assert mapped_bytes_of_a_1_mib_block("default") == 0


@glibc_only
def test_a_fixed_threshold_maps_every_large_block_of_its_own() -> None:
    assert mapped_bytes_of_a_1_mib_block("fixed") >= 1 << 20


class DayStarted(Exception):
    """Raised in place of the day's start: the test needs only what came before it."""


def test_a_run_fixes_the_threshold_before_its_day_starts(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []

    def fix() -> bool:
        calls.append("threshold fixed")
        return True

    def start(*_: object) -> None:
        calls.append("day started")
        raise DayStarted

    monkeypatch.setattr(runtime, "fix_mmap_threshold", fix)
    monkeypatch.setattr(runtime, "start", start)
    with pytest.raises(DayStarted):
        runtime.run(load_scenario("steady-day"))
    assert calls == ["threshold fixed", "day started"]
