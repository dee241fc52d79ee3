"""The local pool forks its workers only when that is safe: on Linux, from a process
running no other thread (a fork taken while another thread holds a lock can deadlock
the child)."""

from __future__ import annotations

import sys
import threading

from scenarios.experiments import pool


def test_a_single_threaded_process_forks_its_workers_on_linux() -> None:
    assert threading.active_count() == 1
    assert pool.start_method() == ("fork" if sys.platform == "linux" else "spawn")


def test_a_process_running_another_thread_spawns_them() -> None:
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert pool.start_method() == "spawn"
    finally:
        release.set()
        other.join()
