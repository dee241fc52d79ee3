"""On PostgreSQL too, a writer opening a database the previous version wrote adds the
tables and columns it lacks (the ALTER TABLE is dialect-specific), and a reader finds
the gaps to read around."""

from __future__ import annotations

import asyncio

from postgres_support import Cluster
from sqlalchemy import text

from hub.adapters.read_model import ReadModel


def test_a_previous_version_s_postgresql_database_is_completed_by_a_writer(
    postgres_cluster: Cluster,
) -> None:
    async def go(url: str) -> tuple[object, object, list[float]]:
        read_model = ReadModel.open(url)
        try:
            await read_model.create_schema()
            async with read_model.engine.begin() as conn:
                await conn.execute(text("DROP TABLE order_transactions"))
                await conn.execute(text("DROP TABLE fulfillments"))
                await conn.execute(text("ALTER TABLE system_records DROP COLUMN created_at"))
                await conn.execute(text("ALTER TABLE system_records DROP COLUMN updated_at"))
                await conn.execute(
                    text(
                        "INSERT INTO system_records (order_id, system, record_id, status, "
                        "recorded_at, fields) VALUES ('W-1', 'erp', 'SO-1', 'open', 5, '{}')"
                    )
                )
            before = await read_model.probe_schema()
            await read_model.create_schema()
            after = await read_model.probe_schema()
            records = await read_model.system_records(["W-1"])
            return before, after, [r.updated_at for r in records["W-1"]]
        finally:
            await read_model.dispose()

    with postgres_cluster.database("gaps") as url:
        before, after, updated = asyncio.run(go(url))
    assert before and not after
    assert updated == [-1.0]
