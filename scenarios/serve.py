"""`retailtwin serve`: the GraphQL API over a live twin or a finished run.

    retailtwin serve [SCENARIO] [--speed X]      a live twin (steady-day by default;
                 [--start-at 9h]                 --start-at runs the morning first)
    retailtwin serve --db DIR_OR_FILE            a finished run from `run --out`, read-only
    retailtwin serve ... --subgraph orders       one Federation subgraph instead of the
                                                 composed schema (for a gateway)

The live twin's read model is a temporary SQLite file unless `--database-url` names
another (any SQLAlchemy async URL). Bad options exit 2 with a message, like `run`.
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import socket
import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import uvicorn
from rich.console import Console

from graph.app import Twin, create_app
from graph.schema import SUBGRAPHS, composed_schema, subgraph_schema
from graph.settings import ApiSettings, Role, SettingsError
from hub.adapters.read_model import ReadModel, ReadModelUnavailable, shown_url, sqlite_url
from scenarios.collector import collector_tuned_for_simulation
from scenarios.durations import format_duration, parse_duration
from scenarios.errors import ScenarioError
from scenarios.live import LiveTwin, Pace
from scenarios.loader import load_scenario
from scenarios.run_read_model import read_model_path

DEFAULT_SCENARIO = "steady-day"


def _speed(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {value}")
    return value


def _port(text: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise argparse.ArgumentTypeError(f"expected a port from 1 to 65535, got {text!r}")
    return int(text)


def add_parser(commands: Any, seed_type: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve the GraphQL API over a live twin or a finished run",
        description="Serve the GraphQL API (GraphiQL at /graphql, /healthz, /metrics) over "
        "a live twin of SCENARIO stepped against the wall clock, or over a "
        "finished run's read model (--db). Exit 2 for bad input.",
    )
    serve.add_argument(
        "scenario",
        nargs="?",
        default=None,
        metavar="NAME_OR_PATH",
        help=f"the scenario to run live (default {DEFAULT_SCENARIO})",
    )
    serve.add_argument(
        "--speed", type=_speed, default=60.0, help="simulated seconds per wall second (default 60)"
    )
    serve.add_argument(
        "--db",
        type=Path,
        default=None,
        metavar="DIR_OR_FILE",
        help="serve a finished run written by `retailtwin run --out DIR`",
    )
    serve.add_argument(
        "--subgraph",
        choices=SUBGRAPHS,
        default=None,
        help="serve one Federation v2 subgraph instead of the composed schema",
    )
    serve.add_argument(
        "--database-url",
        default=None,
        metavar="URL",
        help="the live twin's read model (an SQLAlchemy async URL; default "
        "a temporary SQLite file)",
    )
    serve.add_argument(
        "--start-at",
        default="0",
        metavar="DURATION",
        help="run the live day to this simulated time (e.g. 9h) as fast as it goes before "
        "pacing it, so the API opens on data (default 0: midnight)",
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=_port, default=8000)
    serve.add_argument("--seed", type=seed_type, default=None)
    serve.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="override a scenario field (repeatable)",
    )
    serve.add_argument(
        "--api-key",
        dest="api_keys",
        action="append",
        default=[],
        metavar="KEY:ROLE",
        help="accept KEY with ROLE viewer or operator (repeatable; also RETAILTWIN_API_KEYS)",
    )
    serve.add_argument(
        "--cors-origin",
        dest="cors_origins",
        action="append",
        default=[],
        metavar="ORIGIN",
        help="let pages from ORIGIN (scheme://host[:port], or * for any) call the API from "
        "a browser; pages on localhost always may (repeatable; also RETAILTWIN_CORS_ORIGINS)",
    )
    serve.add_argument(
        "--log-level", default="warning", choices=("critical", "error", "warning", "info", "debug")
    )


class BadServeInput(ScenarioError):
    """A serve option that cannot be used; exit 2 like any bad input."""


def build(args: argparse.Namespace) -> tuple[Any, str, str | None]:
    """The app to serve, a line describing it, and the operator key made up for it when
    none was configured."""
    try:
        settings = ApiSettings.from_env()
        extra = ApiSettings.parse_keys(",".join(args.api_keys))
        origins = ApiSettings.parse_origins(",".join(args.cors_origins))
    except SettingsError as exc:
        raise BadServeInput(str(exc)) from None
    keys = {**settings.api_keys, **extra}
    made_up = None
    if Role.OPERATOR not in keys.values():
        made_up = secrets.token_urlsafe(16)
        keys[made_up] = Role.OPERATOR
    settings = replace(settings, api_keys=keys, cors_origins=(*settings.cors_origins, *origins))
    schema = (
        composed_schema(settings)
        if args.subgraph is None
        else subgraph_schema(args.subgraph, settings)
    )
    name = args.subgraph or "composed"
    if args.db is not None:
        if args.scenario is not None or args.overrides or args.seed is not None:
            raise BadServeInput(
                "--db serves a finished run; give either a scenario to run live or --db, not both"
            )
        path = read_model_path(args.db)
        if not path.is_file():
            raise BadServeInput(
                f"--db: no read model at {path}; write one with `retailtwin run SCENARIO --out DIR`"
            )
        app = create_app(schema, sqlite_url(path.resolve()), settings, name=name)
        return app, f"{name} schema over the finished run in {path}", made_up
    ref = args.scenario or DEFAULT_SCENARIO
    scenario = load_scenario(ref, args.overrides, args.seed)
    url = args.database_url
    if url is not None:
        try:
            asyncio.run(ReadModel.check(url))
        except ReadModelUnavailable as exc:
            raise BadServeInput(
                f"--database-url {shown_url(url)}: {exc}; expected an SQLAlchemy async URL such as "
                "sqlite+aiosqlite:///PATH or postgresql+asyncpg://USER@HOST/DB, with its "
                "driver installed"
            ) from None
    if url is None:
        folder = Path(tempfile.mkdtemp(prefix="retailtwin-live-"))
        url = sqlite_url(folder / "read_model.sqlite")
    start_at_s = parse_duration(args.start_at, "--start-at")
    if start_at_s >= scenario.duration_s:
        raise BadServeInput(
            f"--start-at {args.start_at}: expected a time before {scenario.name}'s day "
            f"ends, at {format_duration(scenario.duration_s)}"
        )
    twin: Twin = LiveTwin(
        scenario, Pace(speed=args.speed), ref, tuple(args.overrides), start_at_s=start_at_s
    )
    app = create_app(schema, url, settings, twin=twin, name=name)
    return app, f"{name} schema over a live {scenario.name} at {args.speed:g}x", made_up


def check_port_free(host: str, port: int) -> None:
    """Say so before anything starts (and before the twin is built) when the address is
    taken, rather than after a line claiming the server is up."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise BadServeInput(f"--host {host}: cannot be resolved ({exc.strerror})") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as exc:
            raise BadServeInput(
                f"--port {port}: cannot listen on {host}:{port} ({exc.strerror}); "
                "is another server running there? pick another port with --port N"
            ) from None


def command_serve(args: argparse.Namespace, console: Console) -> int:
    check_port_free(args.host, args.port)
    app, what, key = build(args)
    if key is not None:
        console.print(
            f"operator API key for this server: {key}  (send it as `Authorization: Bearer {key}`)",
            highlight=False,
            soft_wrap=True,
        )
    base = f"{args.host}:{args.port}"
    places = (
        ("GraphQL, and GraphiQL in a browser", f"http://{base}/graphql"),
        ("subscriptions (graphql-transport-ws)", f"ws://{base}/graphql"),
        ("health, Prometheus metrics", f"http://{base}/healthz  http://{base}/metrics"),
    )
    console.print(
        "\n".join([f"serving the {what}", *(f"  {name:38}{url}" for name, url in places)]),
        highlight=False,
        soft_wrap=True,
    )
    if args.db is None:
        # a live twin is a simulation that also answers requests: the batch run's
        # collector settings keep full collections (pauses of a third of a second at
        # black-friday's size, in the middle of requests) from walking its heap
        with collector_tuned_for_simulation():
            uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    else:
        uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return 0
