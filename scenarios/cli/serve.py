"""`retailtwin serve`: the GraphQL API over a live twin or a finished run.

    retailtwin serve [SCENARIO] [--speed X]      a live twin (steady-day by default;
                 [--start-at 9h]                 --start-at runs the morning first)
                 [--state DIR_OR_URL] [--fresh]  where its day is kept, so the same command
                                                 after a crash or kill -9 resumes it
    retailtwin serve [SCENARIO] --hub URL        a live twin over a hub of your own: the
                 [--backends-port N]             backends served on loopback, webhooks
                                                 POSTed to URL, the API projected from
                                                 the systems' records (docs/integrate.md)
    retailtwin serve --db DIR_OR_FILE            a finished run from `run --out`, read-only
    retailtwin serve ... --subgraph orders       one Federation subgraph instead of the
                                                 composed schema (for a gateway)

The live twin's read model is a temporary SQLite file unless `--database-url` names
another (SQLite or PostgreSQL). Its day (every command clients gave it, committed before
it is acknowledged, and how far the day got) is kept in a state store: a folder per day
under the user's state directory by default, `--state` elsewhere (a folder, a SQLite file
or a `postgresql+asyncpg://` URL). Bad options exit 2 with a message, like `run`.

With `--hub` the hub is the user's, in another process, as with `run --hub`: the hub
must acknowledge `day.started` (which tells it the speed) before the API says it is
up, or the command exits 2 naming the URL. Such a day is not kept: `--state`,
`--fresh` and `--start-at` cannot go with `--hub`, nor can `--db`.
"""

from __future__ import annotations

import argparse
import asyncio
import socket
from pathlib import Path
from typing import Any

import uvicorn
from rich.console import Console

from graph.schema import SUBGRAPHS
from scenarios.cli.arguments import ExitCode, add_set, non_negative, port_number, positive_number
from scenarios.cli.run_external import hub_url
from scenarios.live.server import (
    DEFAULT_SCENARIO,
    BadServeInput,
    ServedApp,
    ServeOptions,
    build,
    refuse_with_hub,
)
from scenarios.reports.finished_folder import servable_read_model
from scenarios.twin.external.boundary import HubUnreachable
from scenarios.twin.gc_tuning import collector_tuned_for_simulation

#: uvicorn's exit status when the app failed to start
STARTUP_FAILURE = 3


def add_parser(commands: Any) -> None:
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
        "--speed",
        type=positive_number,
        default=60.0,
        help="simulated seconds per wall second (default 60)",
    )
    serve.add_argument(
        "--db",
        type=Path,
        default=None,
        metavar="DIR_OR_FILE",
        help="serve a finished run written by `retailtwin run --out DIR` (refused, exit 2, "
        "unless the folder is complete as written)",
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
    serve.add_argument(
        "--seed",
        type=non_negative,
        default=None,
        help="override the live day's seed (a non-negative integer)",
    )
    add_set(serve, "override a scenario field (repeatable)")
    _add_live_options(serve)
    _add_hub_options(serve)
    _add_server_options(serve)


def _add_server_options(serve: argparse.ArgumentParser) -> None:
    """Where it listens, who may call it, and how much it logs."""
    serve.add_argument(
        "--host",
        default="127.0.0.1",
        help="the address to listen on (default 127.0.0.1: this machine only)",
    )
    serve.add_argument(
        "--port", type=port_number, default=8000, help="the port to listen on (default 8000)"
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
        "--log-level",
        default="warning",
        choices=("critical", "error", "warning", "info", "debug"),
        help="how much the server logs (default warning)",
    )


def _add_hub_options(serve: argparse.ArgumentParser) -> None:
    """A hub of the user's own under the live twin."""
    serve.add_argument(
        "--hub",
        type=hub_url,
        default=None,
        metavar="URL",
        help="run the live twin over an external hub at URL (http://HOST:PORT) instead of "
        "the built-in one; it must serve the contract in docs/integrate.md",
    )
    serve.add_argument(
        "--backends-port",
        type=port_number,
        default=0,
        metavar="N",
        help="with --hub: the loopback port the backends are served on for the hub "
        "(default: any free port; day.started tells the hub which)",
    )


def _add_live_options(serve: argparse.ArgumentParser) -> None:
    """Where a live day is kept."""
    serve.add_argument(
        "--state",
        default=None,
        metavar="DIR_OR_URL",
        help="where the live day is kept, so that the same command after a crash resumes it: "
        "a folder, a SQLite file or a postgresql+asyncpg:// URL (default: a folder for this "
        "scenario, seed and overrides under $XDG_STATE_HOME/retailtwin/serve)",
    )
    serve.add_argument(
        "--fresh",
        action="store_true",
        help="discard the day the state holds and start this one from midnight",
    )


def options_of(args: argparse.Namespace, db: Path | None = None) -> ServeOptions:
    """The options; `db` is the read model file found in `--db`, once checked."""
    return ServeOptions(
        scenario=args.scenario,
        db=db or args.db,
        subgraph=args.subgraph,
        database_url=args.database_url,
        start_at=args.start_at,
        speed=args.speed,
        seed=args.seed,
        overrides=tuple(args.overrides),
        api_keys=tuple(args.api_keys),
        cors_origins=tuple(args.cors_origins),
        state=args.state,
        fresh=args.fresh,
        hub=args.hub,
        backends_port=args.backends_port,
    )


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


def command(args: argparse.Namespace, console: Console) -> int:
    if args.hub is not None:
        refuse_with_hub(options_of(args))  # before --db's folder is looked at
    # a half-written or corrupt folder is refused here, before a port is bound, rather
    # than answered with HTTP 500 when the first query finds a table missing
    db = None if args.db is None else servable_read_model(args.db)
    check_port_free(args.host, args.port)
    served = build(options_of(args, db))
    if served.twin is not None:
        with collector_tuned_for_simulation():
            asyncio.run(_serve_over_hub(args, console, served))
        return ExitCode.PASSED
    _announce(args, console, served)
    if served.live:
        # a live twin is a simulation that also answers requests: the batch run's
        # collector settings keep full collections (pauses of a third of a second at
        # black-friday's size, in the middle of requests) from walking its heap
        with collector_tuned_for_simulation():
            uvicorn.run(served.app, host=args.host, port=args.port, log_level=args.log_level)
    else:
        uvicorn.run(served.app, host=args.host, port=args.port, log_level=args.log_level)
    return ExitCode.PASSED


async def _serve_over_hub(args: argparse.Namespace, console: Console, served: ServedApp) -> None:
    """The API over a live twin whose hub is external, in one event loop with the
    backends' face and the webhook sender: the hub must acknowledge `day.started`
    before the API says it is up (exit 2 naming the URL when it does not)."""
    twin = served.twin
    assert twin is not None and twin.boundary is not None
    try:
        await twin.open_boundary()
    except HubUnreachable as exc:
        raise BadServeInput(str(exc), field="--hub") from None
    try:
        _announce(args, console, served)
        console.print(
            f"  {'backends, for the hub':38}{twin.boundary.backends_url}",
            highlight=False,
            soft_wrap=True,
        )
        config = uvicorn.Config(
            served.app, host=args.host, port=args.port, log_level=args.log_level
        )
        server = uvicorn.Server(config)
        await server.serve()
        if not server.started:  # as `uvicorn.run` ends when the app could not start
            raise SystemExit(STARTUP_FAILURE)
    finally:
        await twin.boundary.close()


def _announce(args: argparse.Namespace, console: Console, served: ServedApp) -> None:
    """Say what is served and where (once it can be)."""
    what, key = served.description, served.made_up_key
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
