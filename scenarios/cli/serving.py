"""What `retailtwin serve` does once its options are parsed (serve.py): check them
before anything starts, build the app, announce it, and run uvicorn; over an external
hub, first wait for the hub to acknowledge the day."""

from __future__ import annotations

import argparse
import asyncio
import socket
from pathlib import Path

import uvicorn
from rich.console import Console

from scenarios.cli.arguments import ExitCode
from scenarios.live.serve_options import BadServeInput, ServeOptions
from scenarios.live.server import ServedApp, build, refuse_with_hub
from scenarios.reports.finished_folder import servable_read_model
from scenarios.twin.external.boundary import HubUnreachable
from scenarios.twin.gc_tuning import collector_tuned_for_simulation

#: uvicorn's exit status when the app failed to start
STARTUP_FAILURE = 3


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


def serve(args: argparse.Namespace, console: Console) -> int:
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
