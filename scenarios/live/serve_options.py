"""What `retailtwin serve` is asked for: its options, the scenario a live twin runs
unless told otherwise, and the refusal of an option that cannot be used.

Why a module of its own: the command line builds every command's parser for any
command, so what a parser names must import nothing heavy; the server itself
(`server.py`) brings the GraphQL schema and the web framework with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scenarios.spec.errors import ScenarioError

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
    #: where the live day is kept (a folder, a SQLite file or a database URL)
    state: str | None = None
    #: discard the day the state holds and start a new one
    fresh: bool = False
    #: an external hub's base URL (None: the built-in hub)
    hub: str | None = None
    #: the loopback port the backends are served on for an external hub (0: any)
    backends_port: int = 0


class BadServeInput(ScenarioError):
    """A serve option that cannot be used; exit 2 like any bad input."""
