"""benchmarks/allocator_stats.py: the kernel's and the allocators' own figures, read
without tracing, so a run's held and kept-free memory can be told apart."""

from __future__ import annotations

import platform
import tracemalloc

from benchmarks.allocator_stats import (
    POOL_BYTES,
    c_heap,
    parse_small_blocks,
    reset_high_water,
    resident,
    small_blocks,
)

REPORT = """\
Small block threshold = 512, in 32 size classes.

class   size   num pools   blocks in use  avail blocks
-----   ----   ---------   -------------  ------------
    0     16           1              43           978
    1     32           2             764           256
    3     64          34            8483           187

# arenas allocated total           =                    3
# arenas reclaimed                 =                    0
# arenas highwater mark            =                    3
# arenas allocated current         =                    3
3 arenas * 1048576 bytes/arena     =            3,145,728

# bytes in allocated blocks        =            2,191,056
# bytes in available blocks        =              281,616
39 unused pools * 16384 bytes      =              638,976
# bytes lost to pool headers       =                7,296
"""


def test_the_report_is_read_as_its_classes_and_its_summary() -> None:
    small = parse_small_blocks(REPORT)
    assert small is not None
    assert (small.live, small.free_in_pools) == (2_191_056, 281_616)
    assert small.empty_pools == 39 * POOL_BYTES and small.arenas == 3
    assert [(each.size, each.live_blocks, each.free_blocks) for each in small.classes] == [
        (16, 43, 978),
        (32, 764, 256),
        (64, 8483, 187),
    ]
    assert small.size_class(48) is None
    assert parse_small_blocks("no report at all") is None


def test_small_objects_made_show_as_live_blocks_in_their_class() -> None:
    before = small_blocks()
    assert before is not None
    held = [float(number) for number in range(200_000)]  # 24-byte floats: the 32-byte class
    after = small_blocks()
    assert after is not None
    grown = after.live - before.live
    assert grown >= 200_000 * 24
    class_32_before, class_32_after = before.size_class(32), after.size_class(32)
    assert class_32_before is not None and class_32_after is not None
    assert class_32_after.live_blocks - class_32_before.live_blocks >= 190_000
    del held


def test_the_allocator_gives_no_report_while_tracing() -> None:
    tracemalloc.start()
    try:
        assert small_blocks() is None
    finally:
        tracemalloc.stop()
    assert small_blocks() is not None


def test_resident_memory_rises_with_what_is_touched_and_the_high_water_holds_it() -> None:
    before = resident()
    block = bytearray(64 * 2**20)  # zero-filled pages, touched by the fill below
    block[::4096] = b"x" * len(block[::4096])
    during = resident()
    assert during.now - before.now >= 48 * 2**20
    del block
    after = resident()
    # the kernel folds each thread's page counts into the high-water lazily: a MiB or two late
    assert after.high_water >= during.now - 4 * 2**20 and during.now > after.now


def test_glibc_heap_counts_a_large_block_as_mapped() -> None:
    before = c_heap()
    assert (before is not None) == (platform.libc_ver()[0] == "glibc")
    if before is None:  # not glibc (musl, macOS): None said so, and there is no heap to read
        return
    block = bytearray(32 * 2**20)  # above the mmap threshold: a mapping of its own
    after = c_heap()
    assert after is not None and after.mapped - before.mapped >= 32 * 2**20
    del block


def test_the_high_water_starts_again_from_what_is_resident_when_reset() -> None:
    block = bytearray(64 * 2**20)
    block[::4096] = b"x" * len(block[::4096])
    del block
    assert resident().high_water - resident().now >= 48 * 2**20  # the block's peak held
    assert reset_high_water()  # Linux: /proc/self/clear_refs takes "5"
    after = resident()
    assert after.high_water - after.now < 8 * 2**20
