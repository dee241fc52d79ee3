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

This module is the parser; what serving does is `serving.py`, imported once `serve` is
the command, since the server and the schema weigh some 60 MiB and a second to import.

With `--hub` the hub is the user's, in another process, as with `run --hub`: the hub
must acknowledge `day.started` (which tells it the speed) before the API says it is
up, or the command exits 2 naming the URL. Such a day is not kept: `--state`,
`--fresh` and `--start-at` cannot go with `--hub`, nor can `--db`.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from rich.console import Console

from graph.subgraphs import SUBGRAPH_NAMES
from scenarios.cli.arguments import add_set, non_negative, port_number, positive_number
from scenarios.cli.hub_options import hub_url
from scenarios.live.serve_options import DEFAULT_SCENARIO


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
        choices=SUBGRAPH_NAMES,
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


def command(args: argparse.Namespace, console: Console) -> int:
    from scenarios.cli.serving import serve

    return serve(args, console)
