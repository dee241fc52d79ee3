"""The read model: the query side of the hub, in SQL.

The API reads only these tables. A finished run writes them once (`retailtwin run
--out`), a live twin keeps them current as the simulation moves (`retailtwin serve`).
SQLite through aiosqlite is the default; PostgreSQL through asyncpg is a URL away
(`postgresql+asyncpg://USER:PASSWORD@HOST/DB`), and the tests run on both. A database
holds one run, named by its identity (identity.py), so a live twin restarted on the
same database projects its run there afresh and never into another run's rows.

A finished run's new file is written without SQLAlchemy, through the standard
library's sqlite3 (`run_file.RunFile`), from the same tables (`sqlite_schema`, generated
from tables.py). So this package imports nothing on its own: the names below are
looked up in their modules when first asked for, and a process that writes only the
file (`run --out`'s forked writer) never pays for SQLAlchemy (some 0.3 s of CPU to
import), while `from hub.adapters.read_model import ReadModel` works as it always did.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hub.adapters.read_model.database import ReadModel, ReadModelUnavailable, shown_url
    from hub.adapters.read_model.filters import (
        OrderFilter,
        PositionFilter,
        ReturnFilter,
        SkuFilter,
    )
    from hub.adapters.read_model.identity import ForeignRun, RunIdentity, RunStart
    from hub.adapters.read_model.keyset import Page, Window
    from hub.adapters.read_model.payouts import PayoutFilter, PayoutLineFilter
    from hub.adapters.read_model.price_queries import PromotionFilter
    from hub.adapters.read_model.store import sqlite_url

#: each name this package offers, and the module (of this package) that defines it
_HOMES = {
    "ForeignRun": "identity",
    "OrderFilter": "filters",
    "Page": "keyset",
    "PayoutFilter": "payouts",
    "PayoutLineFilter": "payouts",
    "PositionFilter": "filters",
    "PromotionFilter": "price_queries",
    "ReadModel": "database",
    "ReadModelUnavailable": "database",
    "ReturnFilter": "filters",
    "RunIdentity": "identity",
    "RunStart": "identity",
    "SkuFilter": "filters",
    "Window": "keyset",
    "shown_url": "database",
    "sqlite_url": "store",
}


def __getattr__(name: str) -> Any:
    """A name of `_HOMES`, imported from its module the first time it is asked for. Any
    other is an AttributeError, which lets `from hub.adapters.read_model import tables`
    import the submodule as usual."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "ForeignRun",
    "OrderFilter",
    "Page",
    "PayoutFilter",
    "PayoutLineFilter",
    "PositionFilter",
    "PromotionFilter",
    "ReadModel",
    "ReadModelUnavailable",
    "ReturnFilter",
    "RunIdentity",
    "RunStart",
    "SkuFilter",
    "Window",
    "shown_url",
    "sqlite_url",
]
