"""The one source of truth for which package may import which, written out as ruff
`banned-api` rules, one `ruff.toml` per folder.

Why generated: ruff reads the nearest `ruff.toml` to a file, and a nested file that
`extend`s its parent replaces the parent's banned-api table rather than adding to it.
Written by hand, every nested file repeats its parent's bans (the read model's once
copied the whole hub's), and a new package or subpackage means editing every file that
should ban it. Here each layer says what it may import; everything else of the project
is banned, with a message that says why.

    python scripts/layers.py           write the ruff.toml files
    python scripts/layers.py --check   exit 1 if any is missing or out of date

`tests/unit/test_layout.py` runs the check, so a table edited without regenerating (or a
ruff.toml edited by hand) fails the suite; the same test runs ruff's banned-import check.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: the project's import units: a top-level package, or a subpackage of scenarios/
SCENARIO_ROOMS = ("spec", "twin", "checking", "reports", "live", "experiments", "cli")
UNITS = (
    "hub",
    "simulators",
    "graph",
    *(f"scenarios.{room}" for room in SCENARIO_ROOMS),
    "benchmarks",
    "gateway",
)

#: what the hub core never imports (DESIGN: a pure core that does not know it is
#: simulated; time and randomness come in as arguments)
HUB_LIBRARIES = {
    "simpy": "the hub is a pure core: simpy belongs to simulators/ and scenarios/",
    "sqlalchemy": "the hub reaches storage only through hub/adapters/",
    "strawberry": "the hub knows no GraphQL",
    "starlette": "the hub knows no HTTP",
    "uvicorn": "the hub knows no HTTP",
    "random": "randomness comes in as an argument (an rng), never the module-level random",
    "time": "time comes in through a Clock, never the wall clock",
    "datetime.datetime.now": "time comes in through a Clock",
}


@dataclass(frozen=True, slots=True)
class Layer:
    """One folder's rule. `may_import` lists units (or single modules such as
    `simulators.faults`) it may use; every other unit is banned with `why`."""

    folder: str
    why: str
    may_import: tuple[str, ...] = ()
    libraries: dict[str, str] = field(default_factory=dict)


LAYERS = (
    Layer(
        "hub",
        "the hub is the pure core under test: it imports nothing of the project",
        libraries=HUB_LIBRARIES,
    ),
    Layer(
        "hub/adapters/read_model",
        "the read model is the hub's storage adapter, the one place under hub/ that may "
        "use SQLAlchemy; everything else the hub bans still applies",
        libraries={k: v for k, v in HUB_LIBRARIES.items() if k != "sqlalchemy"},
    ),
    Layer(
        "hub/adapters/http",
        "the hub served over the contract: the one place under hub/ that speaks HTTP and "
        "reads the wall clock (as the twin's speed scales it); the core's other bans apply",
        libraries={
            k: v for k, v in HUB_LIBRARIES.items() if k not in ("starlette", "uvicorn", "time")
        },
    ),
    Layer(
        "compiled_build",
        "the compiled build's guard (`make compile`) is called by the packages it guards, "
        "the hub's and the simulators' alike, so it stands outside every layer and imports "
        "nothing of the project",
    ),
    Layer(
        "simulators",
        "simulators are the world the hub integrates with: they never see the hub, the "
        "runner or the API",
        libraries={"time": "simulators run on simulated time only"},
    ),
    Layer(
        "graph",
        "the API reads the hub's read model and sends requests through graph/control.py; "
        "of the simulated world it knows only the fault and price-channel vocabulary",
        may_import=(
            "hub",
            "simulators.faults",
            "simulators.price_channels",
            "simulators.demand_profile",
        ),
        libraries={"simpy": "the API never steps a simulation; the live twin does"},
    ),
    Layer(
        "scenarios",
        "the top of scenarios/ holds only what every room shares (type aliases)",
    ),
    Layer(
        "scenarios/spec",
        "a scenario is data: it knows the hub's policy, the fault and price-channel "
        "vocabulary and the demand rate's arithmetic, nothing that runs",
        may_import=(
            "hub",
            "simulators.faults",
            "simulators.price_channels",
            "simulators.demand_profile",
        ),
        libraries={"simpy": "a scenario is data; only twin/ runs time"},
    ),
    Layer(
        "scenarios/twin",
        "the twin builds and runs the estate from a spec; judging and showing it come later",
        may_import=("hub", "simulators", "scenarios.spec"),
    ),
    Layer(
        "scenarios/checking",
        "checking judges a run of the twin; it does not write files or serve",
        may_import=("hub", "simulators", "scenarios.spec", "scenarios.twin"),
    ),
    Layer(
        "scenarios/reports",
        "reports show a judged run; they never run or serve one",
        may_import=(
            "hub",
            "simulators",
            "scenarios.spec",
            "scenarios.twin",
            "scenarios.checking",
        ),
    ),
    Layer(
        "scenarios/live",
        "the live twin runs and judges a day behind the API; it writes no report files",
        may_import=(
            "hub",
            "simulators",
            "graph",
            "scenarios.spec",
            "scenarios.twin",
            "scenarios.checking",
        ),
    ),
    Layer(
        "scenarios/experiments",
        "experiments run, judge and report many runs; they never serve",
        may_import=(
            "hub",
            "simulators",
            "scenarios.spec",
            "scenarios.twin",
            "scenarios.checking",
            "scenarios.reports",
        ),
    ),
    Layer(
        "scenarios/cli",
        "the command line is the top: it may use every room, and nothing imports it",
        may_import=("hub", "simulators", "graph", *(f"scenarios.{r}" for r in SCENARIO_ROOMS)),
    ),
)


def _modules_of(package: str) -> list[str]:
    """The modules and subpackages directly inside a top-level package."""
    folder = ROOT / package.replace(".", "/")
    names = {p.stem for p in folder.glob("*.py") if p.stem != "__init__"}
    names |= {p.name for p in folder.iterdir() if (p / "__init__.py").is_file()}
    return sorted(f"{package}.{name}" for name in names)


def _own_unit(layer: Layer) -> str:
    dotted = layer.folder.replace("/", ".")
    for unit in UNITS:
        if dotted == unit or dotted.startswith(unit + "."):
            return unit
    return dotted


def banned_units(layer: Layer) -> list[str]:
    """Every unit (or module, where a layer may use one module of a unit) the layer
    may not import."""
    own = _own_unit(layer)
    banned: list[str] = []
    for unit in UNITS:
        if unit == own or unit in layer.may_import:
            continue
        allowed_parts = [m for m in layer.may_import if m.startswith(unit + ".")]
        if allowed_parts:
            banned += [m for m in _modules_of(unit) if m not in allowed_parts]
        else:
            banned.append(unit)
    return banned


def _allowed(layer: Layer) -> str:
    return ", ".join(layer.may_import) if layer.may_import else "nothing of the project"


def render(layer: Layer) -> str:
    depth = layer.folder.count("/") + 1
    lines = [
        "# Generated by scripts/layers.py from its LAYERS table: edit the table there and",
        "# run `python scripts/layers.py`, never this file.",
        f"# {layer.folder}/ imports {_allowed(layer)}.",
        f'extend = "{"../" * depth}pyproject.toml"',
        "",
        "[lint.flake8-tidy-imports.banned-api]",
    ]
    for unit in banned_units(layer):
        lines.append(f'"{unit}".msg = "{layer.folder}/ may not import {unit}: {layer.why}"')
    for library, message in layer.libraries.items():
        lines.append(f'"{library}".msg = "{message}"')
    return "\n".join(lines) + "\n"


def expected_files() -> dict[Path, str]:
    return {ROOT / layer.folder / "ruff.toml": render(layer) for layer in LAYERS}


def stale_files() -> list[Path]:
    """ruff.toml files that are missing or differ from the table, and hand-made ones
    the table does not know."""
    expected = expected_files()
    stale = [p for p, text in expected.items() if not p.is_file() or p.read_text() != text]
    known = set(expected)
    folders = dict.fromkeys([*(unit.split(".")[0] for unit in UNITS), "compiled_build"])
    for folder in folders:
        stale += sorted(p for p in (ROOT / folder).rglob("ruff.toml") if p not in known)
    return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if stale")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files()
        for path in stale:
            print(f"{path.relative_to(ROOT)}: out of date; run `python scripts/layers.py`")
        return 1 if stale else 0
    for path, text in expected_files().items():
        path.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
