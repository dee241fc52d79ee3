"""The read model: the query side of the hub, in SQL.

The API reads only these tables. A finished run writes them once (`retailtwin run
--out`), a live twin keeps them current as the simulation moves (`retailtwin serve`).
SQLite through aiosqlite is the default; any SQLAlchemy async URL works, so PostgreSQL is
a setting, not a rewrite.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from hub.adapters.read_model.queries import (
    OrderFilter,
    Page,
    PositionFilter,
    ReadModelQueries,
    ReturnFilter,
)
from hub.adapters.read_model.store import ReadModelStore, open_engine, sqlite_url


class ReadModel(ReadModelStore, ReadModelQueries):
    """Writes and queries over one engine."""

    def __init__(self, engine: AsyncEngine) -> None:
        ReadModelStore.__init__(self, engine)

    @classmethod
    def open(cls, url: str) -> ReadModel:
        return cls(open_engine(url))


__all__ = [
    "OrderFilter",
    "Page",
    "PositionFilter",
    "ReadModel",
    "ReturnFilter",
    "sqlite_url",
]
