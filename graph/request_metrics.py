"""The schema extension that counts GraphQL operations and times them for `/metrics`.

It writes into the app's `ApiMetrics` (graph/metrics.py), which it finds through the
request's context; an operation run without the app's context (a schema executed
directly, as tests and the SDL export do) records nothing.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

from strawberry.extensions import SchemaExtension

from graph.context import Context


class RequestMetrics(SchemaExtension):
    def on_operation(self) -> Iterator[None]:
        started = time.perf_counter()
        yield
        context = self.execution_context.context
        if not isinstance(context, Context) or context.services.metrics is None:
            return
        metrics = context.services.metrics
        try:
            operation = self.execution_context.operation_type.value
        except Exception:
            operation = "unknown"
        result = self.execution_context.result
        if not context.executed:
            outcome = "rejected"
        elif result is not None and getattr(result, "errors", None):
            outcome = "error"
        else:
            outcome = "ok"
        metrics.requests.labels(operation, outcome).inc()
        metrics.latency.labels(operation).observe(time.perf_counter() - started)
