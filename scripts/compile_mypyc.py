"""Compile the hub's core, the simulators and the twin's hottest run-time modules with
mypyc: the same decisions, less CPU.

    python scripts/compile_mypyc.py           compile (`make compile`), about a minute and a half
    python scripts/compile_mypyc.py --clean   remove what it built (`make uncompile`)
    python scripts/compile_mypyc.py --if-stale   compile only if the build is not of
                                              these sources (for `make bench`)

mypyc turns each typed module into a C extension (a `.so` beside its `.py`, which
Python imports first) and the build's shared code into one `*__mypyc*.so` at the top of
the tree. The modules are all mypy-strict, so they compile as they are, but for those
in `LEFT_INTERPRETED` and `FOLDERS_LEFT`. One build, one record: it records each
compiled source's SHA-256 in `compiled_build/record.json`; `compiled_build` reads it
whenever a compiled package is imported and, if a source changed since, imports every
compiled package from its sources instead, with a warning, so an edit is never run
stale. Without a C compiler nothing is built and everything stays interpreted: the same
results, slower. Nothing needs this; CI runs the sources.
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

from compiled_build import BUILD_RECORD, PACKAGES, digest, stale_sources  # noqa: E402

#: the folders compiled whole, but for what is left interpreted below
FOLDERS = ("hub", "simulators")
#: the twin's run-time modules where a run's own time goes (cProfile of black-friday at
#: 0.25: the spill of finished records and its codec, its key filters, the delivery
#: digest, the hub's driver and its ports on SimPy; and, by perf, the hub's journal
#: store and its archive of finished aggregates, which the compiled hub calls for every
#: input it commits and every aggregate it archives); the rest of the twin builds the
#: estate or reads the run once, and stays interpreted, as does the journal's file
#: (`journal_file.py`, called once a record of 128 entries)
TWIN_MODULES = (
    "scenarios/twin/record_spill.py",
    "scenarios/twin/record_codec.py",
    "scenarios/twin/key_filter.py",
    "scenarios/twin/numbered_keys.py",
    "scenarios/twin/digest.py",
    "scenarios/twin/hub_driver.py",
    "scenarios/twin/sim_ports.py",
    "scenarios/twin/hub_store.py",
    "scenarios/twin/hub_archive.py",
)
#: what only `run --out DIR` runs, compiled so that `--out`'s own CPU time falls with the
#: run's (`make bench`, benchmarks/out_cost.py: the build took about 0.4 s off the run
#: and little off `--out`, all of whose work was interpreted): the timeline recorded
#: during the run, the projection of the finished run and the read model file's rows
#: (the read model's modules among them are taken out of `FOLDERS_LEFT`). Nothing here
#: runs without `--out`: the judging both runs share is not in it, as compiling it would
#: lower both sides of the ratio. projector.py stays interpreted: mypyc builds no async
#: generator (`in_turn`), and the live twin's ground projection subclasses it
#: report.html's drawing, which only `run --out` (and `compare --out`) runs: the page
#: and its six charts as SVG, some 20 ms of CPU time interpreted on steady-day
PAGE_MODULES = (
    "scenarios/reports/svg/document.py",
    "scenarios/reports/svg/figure.py",
    "scenarios/reports/svg/layout.py",
    "scenarios/reports/svg/marks.py",
    "scenarios/reports/svg/metrics.py",
    "scenarios/reports/svg/panel.py",
    "scenarios/reports/svg/scale.py",
    "scenarios/reports/svg/ticks.py",
    "scenarios/reports/panels.py",
    "scenarios/reports/run_axes.py",
    "scenarios/reports/run_charts.py",
    "scenarios/reports/drawn.py",
    "scenarios/reports/style.py",
    "scenarios/reports/run_page.py",
)
OUT_MODULES = (
    "scenarios/twin/timeline.py",
    "scenarios/twin/projection/cross_system.py",
    "scenarios/twin/projection/erp_part.py",
    "scenarios/twin/projection/transactions.py",
    "scenarios/twin/projection/companies.py",
    "hub/adapters/read_model/run_file.py",
    "hub/adapters/read_model/records.py",
    "hub/adapters/read_model/company_records.py",
    "hub/adapters/read_model/payout_records.py",
    "hub/adapters/read_model/projection.py",
    "hub/adapters/read_model/writes.py",
    "hub/adapters/read_model/sqlite_schema.py",
    *PAGE_MODULES,
)
#: modules of those folders that stay interpreted, and why
LEFT_INTERPRETED = {
    "hub/__init__.py": "checks the build before any compiled module is imported",
    "simulators/__init__.py": "checks the build before any compiled module is imported",
    "hub/ports.py": "a runtime_checkable Protocol, which a compiled module cannot define",
    "hub/policy.py": "the scenario loader reads its fields' type hints, which mypyc rewrites",
}
#: folders left interpreted: HTTP and SQL, where the time is not the hub's own, and the
#: contract's schemas (built once; mypyc cannot infer its registry's types through the
#: import cycle with the simulators that declare their operations). Of the read model,
#: only the rows `run --out` builds and writes are compiled (`OUT_MODULES`); its
#: SQLAlchemy layer and queries, which `serve` runs, stay interpreted
FOLDERS_LEFT = ("hub/adapters/http", "hub/adapters/read_model", "simulators/contract")


#: the build, as `python -m mypyc` writes it but for `multi_file`: a C file per module,
#: compiled side by side (`--parallel`), not one 100 MB file for one gcc. 85 s wall and
#: 80 s CPU against 171 s and 164 s, 0.58 GB peak against 0.97, load average about 2.5;
#: the run's CPU the same (black-friday at 0.25, 14.8 and 14.5 s against 15.1 and 15.3)
SETUP = """from setuptools import setup
from mypyc.build import mypycify

setup(name="retailtwin_compiled", ext_modules=mypycify({names!r}, multi_file=True))
"""


def sources() -> list[str]:
    """The modules that are compiled, as paths from the top of the tree."""
    found = []
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            if name in LEFT_INTERPRETED or name.startswith(FOLDERS_LEFT):
                continue
            found.append(name)
    return [*found, *TWIN_MODULES, *OUT_MODULES]


def built() -> list[Path]:
    """What a build leaves in the tree."""
    found = [*ROOT.glob("*__mypyc*.so"), BUILD_RECORD]
    for package in PACKAGES:
        found += (ROOT / package).rglob("*.so")
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


def compile_all() -> int:
    """Build the compiled modules and record their sources; 1 when it cannot."""
    if compiler() is None:
        print(
            f"no C compiler ({compiler_name()!r} is not installed): everything stays "
            "interpreted, with the same results, slower; install one (Debian: apt-get "
            "install gcc) to compile",
            file=sys.stderr,
        )
        return 1
    clean()  # a build never mixes with an older one's modules
    names = sources()
    started = time.perf_counter()
    (ROOT / "build").mkdir()
    (ROOT / "build" / "setup.py").write_text(SETUP.format(names=names), encoding="utf-8")
    jobs = str(os.cpu_count() or 1)
    done = subprocess.run(
        [sys.executable, "build/setup.py", "build_ext", "--inplace", "--parallel", jobs],
        cwd=ROOT,
        check=False,
    )
    if done.returncode != 0:
        clean()
        print("mypyc failed (above): everything stays interpreted", file=sys.stderr)
        return 1
    record = {name: digest(ROOT / name) for name in names}
    BUILD_RECORD.write_text(json.dumps(record, indent=1) + "\n", encoding="utf-8")
    took = time.perf_counter() - started
    print(f"compiled {len(names)} modules in {took:.0f} s; `make uncompile` removes them")
    return 0


def why_build(record: dict[str, str] | None, names: list[str], root: Path) -> str | None:
    """Why the build recorded in `record` (None: no record) is not one of `names` as
    they are now under `root`, or None if it is: no record, a module added to or left
    out of the list since, or a recorded source changed since."""
    if record is None:
        return f"no {BUILD_RECORD.name}: not built"
    if set(record) != set(names):
        added, dropped = sorted(set(names) - set(record)), sorted(set(record) - set(names))
        return f"the module list changed (added {added or 'none'}, left out {dropped or 'none'})"
    stale = stale_sources(record, root)
    if stale:
        return f"{', '.join(stale[:3])}{' ...' if len(stale) > 3 else ''} changed since the build"
    return None


def compile_if_stale() -> int:
    """Build only if the recorded build is not of these sources; one line either way."""
    record: dict[str, str] | None = None
    if BUILD_RECORD.is_file():
        record = json.loads(BUILD_RECORD.read_text(encoding="utf-8"))
    why = why_build(record, sources(), ROOT)
    if why is None:
        print(f"the compiled build is of these sources ({BUILD_RECORD.relative_to(ROOT)}): kept")
        return 0
    print(f"compiling: {why}")
    return compile_all()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clean", action="store_true", help="remove the compiled modules")
    parser.add_argument(
        "--if-stale",
        action="store_true",
        help="compile only if there is no build of these sources and this module list",
    )
    args = parser.parse_args()
    if args.clean:
        clean()
        return 0
    if args.if_stale:
        return compile_if_stale()
    return compile_all()


if __name__ == "__main__":
    sys.exit(main())
