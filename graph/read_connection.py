"""`ReadConnection`: one database connection for all the reads of a query.

A page of orders reads in waves (the page, its lines and returns, their SKUs), each a
few batch loads. Each load taking a connection from the pool and giving it back cost
more than the reads themselves, so the request's reads are pinned to one connection
from the start of execution to its end, and the connection goes back to the pool once
(hub/adapters/read_model/reads.py).

Queries only. A subscription lives as long as its client listens, and a connection
held for hours would keep a pool slot (on PostgreSQL, a server backend) for nothing
between events; a mutation waits for the twin to act between its reads, and holding a
connection through that wait would starve the pool under a burst of mutations. Their
reads take a connection per wave, as the live twin's and /healthz's do.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from graph.context import Context


class ReadConnection(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        execution = self.execution_context
        context = execution.context
        if not isinstance(context, Context) or execution.operation_type is not OperationType.QUERY:
            yield
            return
        reads = context.read_model.reads
        reads.pin()
        try:
            yield
        finally:
            await reads.unpin()
