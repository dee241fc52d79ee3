"""What `retailtwin serve` serves: the GraphQL app over a live twin of a scenario (its
hub the built-in one, or an external one with `hub`), or over a finished run's read
model (read-only), with its API keys and CORS settings.

Everything here is decided before the server starts, so a bad option is refused (exit
2 with the option's name) before a twin is built or a port is bound.
"""

from __future__ import annotations

import asyncio
import os
import secrets
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from starlette.applications import Starlette
from strawberry.schema import BaseSchema

from graph.app import Twin, create_app
from graph.schema import composed_schema, subgraph_schema
from graph.settings import ApiSettings, Role, SettingsError
from hub.adapters.read_model import ReadModel, ReadModelUnavailable, shown_url, sqlite_url
from hub.adapters.read_model.identity import RunIdentity
from scenarios.live.serve_options import DEFAULT_SCENARIO, BadServeInput, ServeOptions
from scenarios.live.state_store import StateLocation, StateStore
from scenarios.live.twin import ExternalHubOptions, LiveTwin, Pace
from scenarios.spec.durations import format_duration, parse_duration
from scenarios.spec.loader import load_scenario
from scenarios.spec.scenario import Scenario
from scenarios.twin.external.boundary import check_runnable
from scenarios.twin.projection.read_model_file import read_model_path


@dataclass(frozen=True, slots=True)
class ServedApp:
    app: Starlette
    #: one line saying what is served
    description: str
    #: the operator key made up for this server when none was configured
    made_up_key: str | None
    #: a live twin (the caller tunes the collector for it), not a finished run
    live: bool
    #: the live twin, when it has an external hub to reach before the API is up
    twin: LiveTwin | None = None


def build(options: ServeOptions) -> ServedApp:
    """The app to serve, a line describing it, and the operator key made up for it when
    none was configured; `BadServeInput` for an option that cannot be used."""
    settings, made_up = _settings(options)
    schema = (
        composed_schema(settings)
        if options.subgraph is None
        else subgraph_schema(options.subgraph, settings)
    )
    name = options.subgraph or "composed"
    if options.hub is not None:
        refuse_with_hub(options)
    if options.db is not None:
        if options.scenario is not None or options.overrides or options.seed is not None:
            raise BadServeInput(
                "--db serves a finished run; give either a scenario to run live or --db, not both"
            )
        path = read_model_path(options.db)
        if not path.is_file():
            raise BadServeInput(
                f"--db: no read model at {path}; write one with `retailtwin run SCENARIO --out DIR`"
            )
        app = create_app(schema, sqlite_url(path.resolve()), settings, name=name)
        return ServedApp(app, f"{name} schema over the finished run in {path}", made_up, False)
    ref = options.scenario or DEFAULT_SCENARIO
    scenario = load_scenario(ref, options.overrides, options.seed)
    start_at_s = parse_duration(options.start_at, "--start-at")
    if start_at_s >= scenario.duration_s:
        raise BadServeInput(
            f"--start-at {options.start_at}: expected a time before {scenario.name}'s day "
            f"ends, at {format_duration(scenario.duration_s)}"
        )
    identity = RunIdentity.of(scenario.name, scenario.seed, tuple(options.overrides))
    url = _read_model_url(options.database_url, identity)
    if options.hub is not None:
        return _over_hub(options, scenario, ref, schema, url, settings, made_up)
    state, resumed = _state(options, identity)
    twin: Twin = LiveTwin(
        scenario,
        Pace(speed=options.speed),
        ref,
        tuple(options.overrides),
        start_at_s=start_at_s,
        state=state,
    )
    app = create_app(schema, url, settings, twin=twin, name=name)
    kept = "resumed from" if resumed else "kept in"
    description = (
        f"{name} schema over a live {scenario.name} at {options.speed:g}x, its day "
        f"{kept} {state.shown}" + ("" if resumed else " (run the same command to resume it)")
    )
    return ServedApp(app, description, made_up, True)


def refuse_with_hub(options: ServeOptions) -> None:
    """What cannot go with `--hub`, named with it: a finished run has no hub to run, and
    keeping or resuming a day (`--state`, `--fresh`) and running its morning as fast as
    the CPU goes (`--start-at`) need a hub that lives on the twin's clock, not the wall's."""
    why = {
        "--db": "serves a finished run, which runs no hub",
        "--state": "keeps a day to resume it by replaying it in virtual time, which an "
        "external hub cannot follow",
        "--fresh": "starts a kept day again, and a day with an external hub is not kept",
        "--start-at": "runs the morning as fast as the CPU goes, and an external hub lives "
        "on the wall clock",
    }
    given = {
        "--db": options.db is not None,
        "--state": options.state is not None,
        "--fresh": options.fresh,
        "--start-at": parse_duration(options.start_at, "--start-at") != 0,
    }
    for option, present in given.items():
        if present:
            raise BadServeInput(f"{option} cannot go with --hub: {option} {why[option]}")


def _over_hub(
    options: ServeOptions,
    scenario: Scenario,
    ref: str,
    schema: BaseSchema,
    url: str,
    settings: ApiSettings,
    made_up: str | None,
) -> ServedApp:
    """A live twin over the external hub at `options.hub`: its day is not kept (no
    state store), and it starts at midnight when the hub acknowledges `day.started`."""
    assert options.hub is not None
    check_runnable(scenario)
    twin = LiveTwin(
        scenario,
        Pace(speed=options.speed),
        ref,
        tuple(options.overrides),
        hub=ExternalHubOptions(options.hub, options.backends_port),
    )
    name = options.subgraph or "composed"
    app = create_app(schema, url, settings, twin=twin, name=name)
    description = (
        f"{name} schema over a live {scenario.name} at {options.speed:g}x against the hub at "
        f"{options.hub} (day.started told it the speed); the day is not kept, so it "
        "cannot be resumed"
    )
    return ServedApp(app, description, made_up, True, twin)


def _settings(options: ServeOptions) -> tuple[ApiSettings, str | None]:
    """The API's settings, with the keys and origins given; and the operator key made
    up when none was configured."""
    try:
        settings = ApiSettings.from_env()
        extra = ApiSettings.parse_keys(",".join(options.api_keys))
        origins = ApiSettings.parse_origins(",".join(options.cors_origins))
    except SettingsError as exc:
        raise BadServeInput(str(exc)) from None
    keys = {**settings.api_keys, **extra}
    made_up = None
    if Role.OPERATOR not in keys.values():
        made_up = secrets.token_urlsafe(16)
        keys[made_up] = Role.OPERATOR
    origins_all = (*settings.cors_origins, *origins)
    return replace(settings, api_keys=keys, cors_origins=origins_all), made_up


def _read_model_url(url: str | None, identity: RunIdentity) -> str:
    """`--database-url`, checked: it answers, and it holds no other run; a temporary
    SQLite file without it."""
    if url is None:
        folder = Path(tempfile.mkdtemp(prefix="retailtwin-live-"))
        return sqlite_url(folder / "read_model.sqlite")
    shown = shown_url(url)
    try:
        asyncio.run(ReadModel.check(url))
    except ReadModelUnavailable as exc:
        raise BadServeInput(
            f"--database-url {shown}: {exc}; expected an SQLAlchemy async URL such as "
            "sqlite+aiosqlite:///PATH or postgresql+asyncpg://USER@HOST/DB, with its "
            "driver installed"
        ) from None
    stored = asyncio.run(_stored_identity(url))
    if stored is not None and identity.differences(stored):
        raise BadServeInput(
            f"--database-url {shown}: the database holds another run: "
            f"{', '.join(identity.differences(stored))}; give an empty database, or the "
            "command that run was served with"
        )
    return url


async def _stored_identity(url: str) -> RunIdentity | None:
    read_model = ReadModel.open(url)
    try:
        return await read_model.identity()
    finally:
        await read_model.dispose()


def default_state(identity: RunIdentity) -> Path:
    """Where a live day is kept without `--state`: one folder per day (scenario, seed,
    overrides) under the user's state directory, so the same command finds it again."""
    home = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    day = f"{identity.scenario}-seed{identity.seed}-{identity.overrides_digest[:8]}"
    return Path(home) / "retailtwin" / "serve" / day


def _state(options: ServeOptions, identity: RunIdentity) -> tuple[StateLocation, bool]:
    """Where the live day is kept, checked to be this day's (StateMismatch, exit 2,
    naming what differs, when not); with `--fresh`, emptied first. True: the day is
    already there and will be resumed."""
    where = StateLocation.of(options.state or str(default_state(identity)))
    if options.fresh:
        asyncio.run(StateStore.forget_day(where))
    return where, asyncio.run(StateStore.check(where, identity))
