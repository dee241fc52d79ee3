"""The live twin's state store: which day it runs, the commands clients gave it, and how
far the day had got, committed so that a `kill -9` loses nothing it acknowledged.

SQLite by default (a file), PostgreSQL by URL (`postgresql+asyncpg://...`): anything
SQLAlchemy's asyncio extension reaches. A command is committed before it acts and its
answer when it has one; the day's progress (simulated time) every projection, so a
restart knows where to go on from. A store belongs to one day, by the same identity the
read model keeps (the scenario, the seed and the `--set` overrides): a twin of another
day opening it is refused with what differs.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Column,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    delete,
    event,
    insert,
    select,
    update,
)
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from graph.control import CommandKey, Outcome
from hub.adapters.read_model import shown_url
from hub.adapters.read_model.identity import RunIdentity
from scenarios.live.commands import LoggedCommand, command_from_json, command_to_json
from scenarios.spec.errors import ScenarioError

STATE_FILE = "state.sqlite"

metadata = MetaData()
identity_table = Table(
    "twin_identity",
    metadata,
    Column("id", Integer, primary_key=True),
    #: the day's RunIdentity (hub/adapters/read_model/identity.py), as JSON
    Column("identity", Text, nullable=False),
)
commands_table = Table(
    "twin_commands",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("at_s", Float, nullable=False),
    Column("command", Text, nullable=False),
    Column("idempotency_key", String, nullable=False, unique=True),
    Column("mutation", String, nullable=False),
    Column("request_hash", String, nullable=False),
    #: the answer the client got (Outcome JSON), once it had one
    Column("outcome", Text),
)
progress_table = Table(
    "twin_progress",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("sim_time_s", Float, nullable=False),
)


class StateMismatch(ScenarioError):
    """The state store belongs to another day: exit 2, naming what differs."""


class StateUnavailable(ScenarioError):
    """The state store cannot be opened or written: exit 2, naming why."""


def state_url(where: str) -> str:
    """`--state`: a URL as it is, a folder (its state.sqlite) or a file (SQLite)."""
    if "://" in where:
        return where
    path = Path(where).expanduser()
    if path.is_dir() or not path.suffix:
        try:
            path.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StateUnavailable(
                f"--state {where}: cannot make the folder ({exc.strerror}); expected a folder "
                "you can write in, a SQLite file or a database URL",
                field="--state",
            ) from None
        path = path / STATE_FILE
    elif not path.parent.is_dir():
        raise StateUnavailable(f"--state {where}: no such folder {path.parent}", field="--state")
    return f"sqlite+aiosqlite:///{path.resolve()}"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """A commit is on disk when the call returns (FULL): what a client was told happened
    survives a crash of the machine, not only of the process."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


@dataclass(frozen=True, slots=True)
class StateLocation:
    """Where a live day's state is kept: the URL, and how to show it to the user."""

    url: str
    shown: str

    @classmethod
    def of(cls, where: str) -> StateLocation:
        """`--state`: a URL as it is (shown without its password), a folder (its
        state.sqlite) or a file (SQLite)."""
        return cls(state_url(where), shown_url(where) if "://" in where else where)


def _unavailable(where: StateLocation, exc: BaseException) -> StateUnavailable:
    reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return StateUnavailable(
        f"--state {where.shown}: cannot open the state store ({reason}); expected a folder, "
        "a SQLite file or an SQLAlchemy async URL such as postgresql+asyncpg://USER@HOST/DB",
        field="--state",
    )


class StateStore:
    def __init__(self, engine: AsyncEngine, shown: str) -> None:
        self._engine = engine
        self.shown = shown

    @classmethod
    async def check(cls, where: StateLocation, identity: RunIdentity) -> bool:
        """Open, claim for this day (or check it is this day's) and close again: for a
        server to refuse a wrong store before it starts. True: the store holds the day
        already, and it will be resumed."""
        store = await cls.open(where)
        try:
            return await store.claim(identity)
        finally:
            await store.dispose()

    @classmethod
    async def forget_day(cls, where: StateLocation) -> None:
        """`--fresh`: empty the store of the day it held, whichever it was."""
        store = await cls.open(where)
        try:
            await store.forget()
        finally:
            await store.dispose()

    @classmethod
    async def open(cls, where: StateLocation) -> StateStore:
        try:
            engine = create_async_engine(where.url)
        except (SQLAlchemyError, ImportError) as exc:
            raise _unavailable(where, exc) from None
        if engine.dialect.name == "sqlite":
            event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        try:
            async with engine.begin() as conn:
                await conn.run_sync(metadata.create_all)
        except (SQLAlchemyError, OSError) as exc:
            await engine.dispose()
            raise _unavailable(where, exc) from None
        return cls(engine, where.shown)

    async def dispose(self) -> None:
        await self._engine.dispose()

    async def claim(self, identity: RunIdentity) -> bool:
        """Record which day this store holds, or check it is this one; True when the
        store already held it (a restart), StateMismatch when it holds another."""
        async with self._engine.begin() as conn:
            row = (await conn.execute(select(identity_table))).first()
            if row is None:
                body = json.dumps(identity.row())
                await conn.execute(insert(identity_table).values(id=1, identity=body))
                return False
        differences = identity.differences(RunIdentity.from_row(json.loads(row.identity)))
        if differences:
            raise StateMismatch(
                f"--state {self.shown} holds another day: {', '.join(differences)}; start "
                "this one with --state elsewhere, or --fresh to discard that day",
                field="--state",
            )
        return True

    async def forget(self) -> None:
        """`--fresh`: the day this store held is discarded, commands and all."""
        async with self._engine.begin() as conn:
            for table in (commands_table, progress_table, identity_table):
                await conn.execute(delete(table))

    async def append(self, logged: LoggedCommand) -> None:
        """Commit a command before it acts."""
        async with self._engine.begin() as conn:
            await conn.execute(
                insert(commands_table).values(
                    seq=logged.seq,
                    at_s=logged.at_s,
                    command=json.dumps(command_to_json(logged.command)),
                    idempotency_key=logged.key.key,
                    mutation=logged.key.mutation,
                    request_hash=logged.key.request_hash,
                )
            )

    async def answer(self, seq: int, outcome: Outcome) -> None:
        async with self._engine.begin() as conn:
            await conn.execute(
                update(commands_table)
                .where(commands_table.c.seq == seq)
                .values(outcome=json.dumps(outcome.to_json()))
            )

    async def commands(self) -> list[tuple[LoggedCommand, Outcome | None]]:
        """Every committed command, in the order they took effect, with its answer."""
        async with self._engine.connect() as conn:
            rows = (await conn.execute(select(commands_table).order_by(commands_table.c.seq))).all()
        return [
            (
                LoggedCommand(
                    row.seq,
                    row.at_s,
                    command_from_json(json.loads(row.command)),
                    CommandKey(row.idempotency_key, row.mutation, row.request_hash),
                ),
                None if row.outcome is None else Outcome.from_json(json.loads(row.outcome)),
            )
            for row in rows
        ]

    async def progress(self) -> float:
        async with self._engine.connect() as conn:
            value = (await conn.execute(select(progress_table.c.sim_time_s))).scalar()
        return float(value or 0.0)

    async def record_progress(self, sim_time_s: float) -> None:
        async with self._engine.begin() as conn:
            done = await conn.execute(
                update(progress_table).where(progress_table.c.id == 1).values(sim_time_s=sim_time_s)
            )
            if done.rowcount == 0:
                await conn.execute(insert(progress_table).values(id=1, sim_time_s=sim_time_s))
