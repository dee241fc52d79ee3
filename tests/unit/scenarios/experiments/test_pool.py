"""The local pool forks its workers only when that is safe: on Linux, from a process
running no other thread (a fork taken while another thread holds a lock can deadlock
the child). Asked in a fresh interpreter, as `retailtwin compare` asks before it starts
its progress bars: the test process itself may run threads other tests left."""

from __future__ import annotations

import subprocess
import sys
import threading

from scenarios.experiments import pool


def test_a_fresh_single_threaded_process_forks_its_workers_on_linux() -> None:
    asked = subprocess.run(
        [
            sys.executable,
            "-c",
            "from scenarios.experiments import pool; print(pool.start_method())",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert asked.stdout.strip() == ("fork" if sys.platform == "linux" else "spawn")


def test_a_process_running_another_thread_spawns_them() -> None:
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert pool.start_method() == "spawn"
    finally:
        release.set()
        other.join()
