"""Compile the hub's pure core with mypyc: the same decisions, about a third less CPU.

    python scripts/compile_hub.py           compile (`make compile`), about a minute
    python scripts/compile_hub.py --clean   remove what it built (`make uncompile`)

mypyc turns each typed module into a C extension (a `.so` beside its `.py`, which
Python imports first) and the build's shared code into one `*__mypyc*.so` at the top of
the tree. The hub's modules are all mypy-strict, so they compile as they are, but for
those in `LEFT_INTERPRETED`. The build records each compiled source's SHA-256 in
`hub/compiled.json`; `hub.compiled` reads it whenever the hub is imported and, if a
source changed since, imports the whole hub from its sources instead, with a warning,
so an edit is never run stale. Without a C compiler nothing is built and the hub stays
interpreted: the same results, slower. Nothing needs this; CI runs the sources.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from hub.compiled import BUILD_RECORD, digest  # noqa: E402

#: hub modules that stay interpreted, and why
LEFT_INTERPRETED = {
    "hub/__init__.py": "checks the build before any compiled module is imported",
    "hub/compiled.py": "the check itself",
    "hub/ports.py": "a runtime_checkable Protocol, which a compiled module cannot define",
    "hub/policy.py": "the scenario loader reads its fields' type hints, which mypyc rewrites",
    "hub/adapters/erp.py": "a contract test replaces create_sales_order in the module",
    "hub/adapters/instant_store.py": "a test subclasses InstantStore",
}
#: folders left interpreted whole: HTTP and SQL, where the time is not the hub's own
FOLDERS_LEFT = ("hub/adapters/http", "hub/adapters/read_model")


def sources() -> list[str]:
    """The hub's modules that are compiled, as paths from the top of the tree."""
    found = []
    for path in sorted((ROOT / "hub").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        if name in LEFT_INTERPRETED or name.startswith(FOLDERS_LEFT):
            continue
        found.append(name)
    return found


def built() -> list[Path]:
    """What a build leaves in the tree."""
    found = [*(ROOT / "hub").rglob("*.so"), *ROOT.glob("*__mypyc*.so"), BUILD_RECORD]
    return [path for path in found if path.exists()]


def clean() -> None:
    """Remove the compiled modules, the record and mypyc's build folder."""
    for path in built():
        path.unlink()
    shutil.rmtree(ROOT / "build", ignore_errors=True)


def compiler_name() -> str:
    """The C compiler the build will call: `CC` if set, else the one Python was built with."""
    return os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc"


def compiler() -> str | None:
    """That compiler's path, if it is installed."""
    command = compiler_name().split()
    return shutil.which(command[0]) if command else None


def compile_hub() -> int:
    """Build the compiled hub and record its sources; 1 when it cannot."""
    if compiler() is None:
        print(
            f"no C compiler ({compiler_name()!r} is not installed): the hub stays interpreted, "
            "with the same results, slower; install one (Debian: apt-get install gcc) "
            "to compile it",
            file=sys.stderr,
        )
        return 1
    clean()  # a build never mixes with an older one's modules
    names = sources()
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mypyc", *names], cwd=ROOT, check=False)
    if done.returncode != 0:
        clean()
        print("mypyc failed (above): the hub stays interpreted", file=sys.stderr)
        return 1
    record = {name: digest(ROOT / name) for name in names}
    BUILD_RECORD.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    took = time.perf_counter() - started
    print(f"compiled {len(names)} hub modules in {took:.0f} s; `make uncompile` removes them")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clean", action="store_true", help="remove the compiled modules")
    if parser.parse_args().clean:
        clean()
        return 0
    return compile_hub()


if __name__ == "__main__":
    sys.exit(main())
