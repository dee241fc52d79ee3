"""What `retailtwin serve` serves: the GraphQL app over a live twin of a scenario, or
over a finished run's read model (read-only), with its API keys and CORS settings.

Everything here is decided before the server starts, so a bad option is refused (exit
2 with the option's name) before a twin is built or a port is bound.
"""

from __future__ import annotations

import asyncio
import secrets
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path

from starlette.applications import Starlette

from graph.app import Twin, create_app
from graph.schema import composed_schema, subgraph_schema
from graph.settings import ApiSettings, Role, SettingsError
from hub.adapters.read_model import ReadModel, ReadModelUnavailable, shown_url, sqlite_url
from scenarios.live.twin import LiveTwin, Pace
from scenarios.spec.durations import format_duration, parse_duration
from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import load_scenario
from scenarios.twin.projection.projector import read_model_path

DEFAULT_SCENARIO = "steady-day"


@dataclass(frozen=True, slots=True)
class ServeOptions:
    """`retailtwin serve`'s options, as the command line gives them."""

    scenario: str | None = None
    db: Path | None = None
    subgraph: str | None = None
    database_url: str | None = None
    start_at: str = "0"
    speed: float = 60.0
    seed: int | None = None
    overrides: tuple[str, ...] = ()
    api_keys: tuple[str, ...] = ()
    cors_origins: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ServedApp:
    app: Starlette
    #: one line saying what is served
    description: str
    #: the operator key made up for this server when none was configured
    made_up_key: str | None
    #: a live twin (the caller tunes the collector for it), not a finished run
    live: bool


class BadServeInput(ScenarioError):
    """A serve option that cannot be used; exit 2 like any bad input."""


def build(options: ServeOptions) -> ServedApp:
    """The app to serve, a line describing it, and the operator key made up for it when
    none was configured; `BadServeInput` for an option that cannot be used."""
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
    settings = replace(settings, api_keys=keys, cors_origins=(*settings.cors_origins, *origins))
    schema = (
        composed_schema(settings)
        if options.subgraph is None
        else subgraph_schema(options.subgraph, settings)
    )
    name = options.subgraph or "composed"
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
    url = options.database_url
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
    start_at_s = parse_duration(options.start_at, "--start-at")
    if start_at_s >= scenario.duration_s:
        raise BadServeInput(
            f"--start-at {options.start_at}: expected a time before {scenario.name}'s day "
            f"ends, at {format_duration(scenario.duration_s)}"
        )
    twin: Twin = LiveTwin(
        scenario, Pace(speed=options.speed), ref, tuple(options.overrides), start_at_s=start_at_s
    )
    app = create_app(schema, url, settings, twin=twin, name=name)
    description = f"{name} schema over a live {scenario.name} at {options.speed:g}x"
    return ServedApp(app, description, made_up, True)
