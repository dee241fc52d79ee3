"""The API's settings: keys and roles, and the limits that guard it.

Read once from the environment (and the `serve` command's options). API keys map to
roles: `viewer` reads and places, cancels and returns orders as a shopper can;
`operator` may also inject faults and replay dead letters. Requests without a key get
`anonymous_role` (viewer by default, so GraphiQL works out of the box; set it to `none`
to require a key for everything). Browser pages on loopback may call the API; other
origins only when listed (graph/cors.py).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum

from graph.cors import invalid_origins

#: how many queries execute at once by default (RETAILTWIN_QUERY_THREADS); more wait for
#: a worker, in order of arrival. Queries are mostly Python, one thread at a time under
#: the GIL: more workers only share the same CPU, while a few keep a cheap query from
#: queueing behind a costly one and overlap one's database waits with another's resolvers.
#: Two, not four: each further thread adds GIL hand-overs (at the 1 ms switch interval)
#: to every query: make bench-api's orders page cost 2.0x a bare strawberry app's CPU per
#: request with four, 1.3x to 1.7x with two, 1.2x to 1.35x with one
QUERY_THREADS = 2


class Role(Enum):
    VIEWER = "viewer"
    OPERATOR = "operator"


class SettingsError(ValueError):
    """A setting that cannot be used; the message names it."""


@dataclass(frozen=True, slots=True)
class ApiSettings:
    api_keys: Mapping[str, Role] = field(default_factory=dict)
    anonymous_role: Role | None = Role.VIEWER
    max_depth: int = 12
    max_tokens: int = 2000
    max_aliases: int = 15
    #: the most a query may cost (graph/cost.py), as Shopify's single query limit
    max_cost: int = 1000
    #: each client's bucket of query-cost points, and how many come back a second
    cost_bucket: int = 2000
    cost_restore_rate: int = 100
    #: queries executing at once, each on a worker thread (graph/query_threads.py): more
    #: keep a cheap query from waiting behind a costly one, fewer cost less in switching
    #: between threads (`make bench-api` on the 2-core machine at a load average near 8:
    #: the orders page 1.3-1.4x a bare strawberry app with 1, 1.1-1.3x with 2, 1.0-1.3x
    #: with 4)
    query_threads: int = QUERY_THREADS
    graphiql: bool = True
    #: origins besides loopback whose pages may call the API from a browser (`*`: any)
    cors_origins: tuple[str, ...] = ()

    @staticmethod
    def parse_origins(text: str) -> tuple[str, ...]:
        """`ORIGIN[,ORIGIN...]` as in RETAILTWIN_CORS_ORIGINS and `--cors-origin`."""
        origins = tuple(filter(None, (part.strip().rstrip("/") for part in text.split(","))))
        bad = invalid_origins(origins)
        if bad:
            raise SettingsError(
                f"CORS origin {bad[0]!r}: expected scheme://host[:port] "
                "(e.g. https://app.example.com) or * for any"
            )
        return origins

    @staticmethod
    def parse_keys(text: str) -> dict[str, Role]:
        """`KEY:ROLE[,KEY:ROLE...]` as in RETAILTWIN_API_KEYS and `--api-key`."""
        keys: dict[str, Role] = {}
        for item in filter(None, (part.strip() for part in text.split(","))):
            key, _, role = item.rpartition(":")
            if not key or role not in {r.value for r in Role}:
                raise SettingsError(
                    f"API key {item!r}: expected KEY:ROLE with ROLE viewer or operator"
                )
            keys[key] = Role(role)
        return keys

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ApiSettings:
        env = os.environ if environ is None else environ
        anonymous = env.get("RETAILTWIN_ANONYMOUS_ROLE", "viewer")
        if anonymous not in ("viewer", "operator", "none"):
            raise SettingsError(
                f"RETAILTWIN_ANONYMOUS_ROLE: expected viewer, operator or none, got {anonymous!r}"
            )
        defaults = cls()

        def limit(name: str, default: int) -> int:
            raw = env.get(f"RETAILTWIN_{name.upper()}")
            if raw is None:
                return default
            if not raw.isdigit() or int(raw) < 1:
                raise SettingsError(
                    f"RETAILTWIN_{name.upper()}: expected a positive integer, got {raw!r}"
                )
            return int(raw)

        return cls(
            api_keys=cls.parse_keys(env.get("RETAILTWIN_API_KEYS", "")),
            anonymous_role=None if anonymous == "none" else Role(anonymous),
            max_depth=limit("max_depth", defaults.max_depth),
            max_tokens=limit("max_tokens", defaults.max_tokens),
            max_aliases=limit("max_aliases", defaults.max_aliases),
            max_cost=limit("max_cost", defaults.max_cost),
            cost_bucket=limit("cost_bucket", defaults.cost_bucket),
            cost_restore_rate=limit("cost_restore_rate", defaults.cost_restore_rate),
            query_threads=limit("query_threads", defaults.query_threads),
            cors_origins=cls.parse_origins(env.get("RETAILTWIN_CORS_ORIGINS", "")),
        )

    def role_for(self, key: str | None) -> Role | None:
        if key is None:
            return self.anonymous_role
        return self.api_keys.get(key)
