"""`retailtwin hub serve`: the project's own hub as an external process, for `retailtwin
run SCENARIO --hub URL` to judge over HTTP (and, with `--defect`, to watch fail)."""

from __future__ import annotations

import argparse
from typing import Any

from rich.console import Console

from scenarios.cli.arguments import ExitCode, port_number
from scenarios.twin.external.hub_defects import DEFECTS


def _defect(text: str) -> str:
    if text not in DEFECTS:
        raise argparse.ArgumentTypeError(
            f"unknown defect {text!r}; expected one of {', '.join(DEFECTS)}"
        )
    return text


def add_parser(commands: Any) -> None:
    hub = commands.add_parser(
        "hub",
        help="the project's own hub as an external process",
        description="The project's own integration hub, served over the contract "
        "(docs/contract.openapi.json) as a process of its own.",
    )
    actions = hub.add_subparsers(dest="hub_command", metavar="ACTION", required=True)
    serve = actions.add_parser(
        "serve",
        help="serve the reference hub for `retailtwin run SCENARIO --hub URL`",
        description="Serve the reference hub: it takes webhooks at /webhooks/{source} and "
        "calls the backends the twin names in day.started. Run a scenario against it "
        "with `retailtwin run SCENARIO --hub http://HOST:PORT`.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=port_number, default=8100, help="port (default 8100)")
    serve.add_argument(
        "--defect",
        dest="defects",
        action="append",
        type=_defect,
        default=[],
        metavar="NAME",
        help="seed a defect (repeatable): ack_then_drop (answers webhooks before "
        "processing them and drops every fiftieth), slow (takes each webhook 0.4 "
        "wall seconds late), or any hub defect of "
        "docs/invariants.md",
    )
    serve.add_argument(
        "--log-level",
        default="warning",
        choices=("critical", "error", "warning", "info", "debug"),
        help="uvicorn's log level (default warning)",
    )


def command(args: argparse.Namespace, console: Console) -> int:
    # the server, imported once it is the command (the parser is built for any)
    import uvicorn

    from scenarios.cli.serving import check_port_free
    from scenarios.twin.external.reference_hub import reference_hub_app

    check_port_free(args.host, args.port)
    app = reference_hub_app(args.defects)
    seeded = f" with defects {', '.join(args.defects)}" if args.defects else ""
    console.print(
        f"reference hub{seeded} at http://{args.host}:{args.port}  "
        f"(webhooks: /webhooks/{{source}}, health: /healthz)",
        highlight=False,
        soft_wrap=True,
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level)
    return ExitCode.PASSED
