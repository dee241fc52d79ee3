"""`make test`'s two pytest-xdist workers (tests/workers.py) run every selected test,
and a module whose tests share a wider fixture whole on one worker.

Why a test: pytest-xdist schedules by node id, and under pytest 9 schemathesis's tests
(one per API operation) shared their function's, so two workers ran one of each such
function's tests and dropped the other 62 without a word; and pytest-xdist's own groups
took no effect under pytest 9 (tests/workers.py, `_rename`).
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: one API operation a test, and a module-scoped server shared by them all
MODULE = "tests/e2e/test_contract_schemathesis.py"
#: a few of its operations: enough for two workers to have split them
SOME = "stock_snapshot or find_document or cancel_sales_order or wms"


def _pytest(*words: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-k", SOME, *words, MODULE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=900,
        stdin=subprocess.DEVNULL,
    )


def test_two_workers_run_each_operation_s_test_and_the_module_on_one_worker() -> None:
    listed = _pytest("--collect-only", "-q")
    collected = int(re.search(r"(\d+)/\d+ tests? collected", listed.stdout).group(1))  # type: ignore[union-attr]
    assert collected >= 4, listed.stdout

    done = _pytest("-n", "2", "--dist", "loadgroup", "--no-loadscope-reorder", "-v")
    assert done.returncode == 0, done.stdout[-3000:]
    passed = re.findall(r"^\[(gw\d+)\] .*PASSED (\S+ \S+|\S+)", done.stdout, re.MULTILINE)
    assert len(passed) == collected, done.stdout[-3000:]
    # each operation its own test, named by it
    assert all("[" in test for _, test in passed), passed[:3]
    # the module's server is built once: every test on the same worker
    assert len({worker for worker, _ in passed}) == 1, passed
