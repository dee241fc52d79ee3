"""The query cost guard: a maximum per query, and a leaky bucket per client.

After validation, the operation's requested cost (graph/cost.py) is computed from the
document and its variables. Above `max_cost` the query is refused before it runs
(`MAX_COST_EXCEEDED`, with the cost and the maximum, as Shopify answers). Otherwise
the client's bucket (graph/throttle.py) must hold the cost: if it does not, the query
is refused (`THROTTLED`, with the restore rate and when to retry; the HTTP view
answers 429 with `Retry-After`). Once it has run, the unused part of the requested cost
goes back. Every answer carries `extensions.cost`: the requested and actual cost and
the bucket (`throttleStatus`), as Shopify's Admin API does.

Subscriptions are costed and held to the maximum, but not charged: a websocket is one
long request. A schema executed outside the app (tests, the SDL export) has no bucket
and answers no `cost`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from graph.context import Context
from graph.cost import actual_cost, requested_cost
from graph.throttle import ThrottleStatus


class QueryCostLimiter(SchemaExtension):
    def __init__(self, max_cost: int) -> None:
        super().__init__()
        self.max_cost = max_cost
        self.requested: int | None = None
        self.actual: int | None = None
        self.charged: int | None = None
        self.status: ThrottleStatus | None = None

    def _client(self) -> tuple[Context, str] | None:
        context = self.execution_context.context
        if not isinstance(context, Context) or context.client is None:
            return None
        return context, context.client

    def on_validate(self) -> Iterator[None]:
        self._cost()
        yield

    def _cost(self) -> None:
        """Listed after `ValidationCache`, whose hook has validated the document when
        this one starts: strawberry refuses a request from inside the validation stage,
        so a refusal must be in place before the stage's body runs."""
        ec = self.execution_context
        if ec.pre_execution_errors is None or ec.graphql_document is None:
            return  # not validated: nothing is costed before it is known to be valid
        if ec.pre_execution_errors:
            return  # validation says what is wrong
        schema, document = ec.schema._schema, ec.graphql_document
        cost = requested_cost(schema, document, ec.operation_name, ec.variables)
        self.requested = cost
        if cost is None:
            return
        if cost > self.max_cost:
            ec.pre_execution_errors = [
                GraphQLError(
                    f"Query cost is {cost}, which exceeds the single query max cost limit "
                    f"({self.max_cost}); ask for smaller pages (`first`) or fewer nested "
                    "fields (docs/api.md#limits)",
                    extensions={
                        "code": "MAX_COST_EXCEEDED",
                        "cost": cost,
                        "maxCost": self.max_cost,
                    },
                )
            ]
            return
        found = self._client()
        if found is None or ec.operation_type is OperationType.SUBSCRIPTION:
            return
        context, client = found
        taken, self.status = context.services.buckets.take(client, cost)
        if taken:
            self.charged = cost
            return
        wait_s = self.status.retry_after_s(cost)
        context.retry_after_s = wait_s
        ec.pre_execution_errors = [
            GraphQLError(
                f"Throttled: this query costs {cost} points and "
                f"{self.status.currently_available:.0f} are available; the bucket restores "
                f"{self.status.restore_rate:g} points a second, so retry in {wait_s} s",
                extensions={
                    "code": "THROTTLED",
                    "restoreRate": self.status.restore_rate,
                    "retryAfterSeconds": wait_s,
                },
            )
        ]

    def on_execute(self) -> Iterator[None]:
        yield
        ec = self.execution_context
        found = self._client()
        if self.charged is None or found is None or ec.graphql_document is None:
            return
        context, client = found
        result = ec.result
        data = getattr(result, "data", None)
        actual = min(
            actual_cost(
                ec.schema._schema, ec.graphql_document, data, ec.operation_name, ec.variables
            ),
            self.charged,
        )
        self.actual = actual
        self.status = context.services.buckets.give_back(client, self.charged - actual)

    def get_results(self) -> dict[str, Any]:
        found = self._client()
        if found is None:
            return {}
        context, client = found
        status = self.status or context.services.buckets.status(client)
        return {
            "cost": {
                "requestedQueryCost": self.requested,
                "actualQueryCost": self.actual,
                "throttleStatus": status.to_json(),
            }
        }
