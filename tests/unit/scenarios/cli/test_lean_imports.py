"""A plain `retailtwin run` imports neither the read model's database layer nor the web
stack, and neither does `replay`. Every module a command imports stays in memory for
the whole run (some 60 MiB of a peak day's peak), and the parser of every command is
built whatever the command: so a parser names only light modules, and `--out`, `--hub`,
`serve` and `hub serve` import what they need once they are the command. A top-level
import of the server or the read model anywhere on a plain run's path fails here."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from gateway import federation
from graph import schema
from graph.subgraphs import SUBGRAPH_NAMES

ROOT = Path(__file__).resolve().parents[4]
#: libraries only `--out`, `--hub`, `serve` or the comparison's charts need
HEAVY = (
    "aiohttp",
    "aiosqlite",
    "asyncpg",
    "graphql",
    "matplotlib",
    "prometheus_client",
    "sqlalchemy",
    "starlette",
    "strawberry",
    "uvicorn",
)


def _heavy_imported_after(code: str) -> list[str]:
    """The HEAVY libraries a fresh interpreter holds after running `code`."""
    report = f"import json, sys\nprint(json.dumps(sorted(set({HEAVY!r}) & set(sys.modules))))"
    probe = f"{code}\n{report}"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    heavy: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return heavy


def test_every_parser_is_built_without_the_server_or_the_read_model() -> None:
    code = (
        "from scenarios.cli.main import build_parser\n"
        "parser = build_parser()\n"
        "parser.parse_args(['serve', '--subgraph', 'orders', '--hub', 'http://127.0.0.1:1'])\n"
        "parser.parse_args(['hub', 'serve', '--defect', 'ack_then_drop'])\n"
        "parser.parse_args(['run', 'steady-day', '--hub', 'http://127.0.0.1:1'])"
    )
    assert _heavy_imported_after(code) == []


def test_a_plain_run_imports_no_database_or_web_library() -> None:
    code = (
        "from scenarios.cli.main import main\n"
        "assert main(['run', 'steady-day', '--quiet', '--set', 'scenario.scale=0.02']) == 0"
    )
    assert _heavy_imported_after(code) == []


def test_replay_finds_its_folder_without_the_read_model() -> None:
    """`replay DIR` reruns a scenario as `run` does, holding as little besides it."""
    assert _heavy_imported_after("import scenarios.experiments.replay") == []


def test_the_read_model_file_is_written_without_sqlalchemy_or_aiosqlite() -> None:
    """`run --out`'s writer (`read_model_process._write`) imports the sqlite3 store and
    the projection, and none of the database layer's libraries (issue 18 item 4)."""
    code = (
        "import hub.adapters.read_model\n"
        "from hub.adapters.read_model.run_file import RunFile\n"
        "from scenarios.reports.read_model import project_run, write_read_model\n"
        "from scenarios.twin.projection.projector import Projector\n"
        "import scenarios.reports.read_model_process"
    )
    # (the metrics' library is the run documents' own: `run --out` holds it anyway)
    assert not {"sqlalchemy", "aiosqlite"} & set(_heavy_imported_after(code))


def test_the_subgraphs_the_parser_offers_are_those_the_schema_builds() -> None:
    assert tuple(schema.SUBGRAPHS) == SUBGRAPH_NAMES
    assert tuple(schema._SUBGRAPH_ROOTS) == SUBGRAPH_NAMES
    assert federation.SUBGRAPHS == SUBGRAPH_NAMES  # the gateway runs as a plain script


def test_a_run_with_out_holds_no_heavy_library_while_its_day_runs(tmp_path: Path) -> None:
    """`run --out DIR` imports what writes the files once the day has run, and never the
    read model's database layer: the read model's file is written through sqlite3,
    forked or in process (issue 18 item 4). What is held when the day starts is what the
    whole day carries in memory; what is held at the end was paid for in this process."""
    out = tmp_path / "out"
    code = (
        "import json, sys\n"
        f"HEAVY = set({HEAVY!r})\n"
        "import scenarios.cli.run as run\n"
        "simulate = run._simulate\n"
        "def probed(*args, **kwargs):\n"
        "    print(json.dumps(sorted(HEAVY & set(sys.modules))))\n"
        "    return simulate(*args, **kwargs)\n"
        "run._simulate = probed\n"
        "from scenarios.cli.main import main\n"
        "args = ['run', 'steady-day', '--quiet', '--set', 'scenario.scale=0.02']\n"
        f"assert main([*args, '--out', {str(out)!r}]) == 0\n"
        "print(json.dumps(sorted(HEAVY & set(sys.modules))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("[")]
    at_start, at_end = (json.loads(line) for line in lines[-2:])
    assert at_start == []
    assert (out / "read_model.sqlite").is_file()
    # the run's charts are drawn without matplotlib, the read model written without
    # the database layer, forked or not
    assert "matplotlib" not in at_end
    assert not {"sqlalchemy", "aiosqlite"} & set(at_end)
