"""A bare strawberry app serving the orders page from memory: the floor `make bench-api`
measures retailtwin's orders page against.

`{ __typename }` tells what HTTP, routing and parsing cost, but not what strawberry
itself costs to resolve a page of 20 orders with their lines, SKUs and returns; this app
does. It has the same shape as retailtwin's page (the same query text is valid
against both), no extensions, no context, no loaders and no database: the page is held
in memory as plain strawberry objects, built once from a JSON answer retailtwin gave,
and its fields are plain attributes. What retailtwin's page costs beyond this floor is
its read model, its loaders (async resolvers) and its own layers.

`python -m benchmarks.bare_graphql PAGE.json --port N` serves it with uvicorn on
loopback, as `retailtwin serve` serves the real API.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import strawberry
import uvicorn
from strawberry.asgi import GraphQL


@strawberry.type
class Sku:
    id: strawberry.ID
    name: str


@strawberry.type
class OrderLine:
    line_number: int
    quantity: int
    shipped_quantity: int
    sku: Sku


@strawberry.type
class ReturnLine:
    quantity: int
    sku: Sku


@strawberry.type
class Return:
    id: strawberry.ID
    status: str
    refund_total_cents: int
    lines: list[ReturnLine]


@strawberry.type
class Order:
    id: strawberry.ID
    status: str
    channel: str
    placed_at: datetime
    total_cents: int
    lines: list[OrderLine]
    returns: list[Return]


@strawberry.type
class OrderEdge:
    cursor: str
    node: Order


@strawberry.type
class OrderConnection:
    total_count: int
    edges: list[OrderEdge]


@strawberry.input
class OrderFilter:
    placed_before: datetime | None = None


def _sku(data: dict[str, Any]) -> Sku:
    return Sku(id=strawberry.ID(data["id"]), name=str(data.get("name", "")))


def _order(node: dict[str, Any]) -> Order:
    return Order(
        id=strawberry.ID(node["id"]),
        status=node["status"],
        channel=node["channel"],
        placed_at=datetime.fromisoformat(node["placedAt"]),
        total_cents=node["totalCents"],
        lines=[
            OrderLine(
                line_number=line["lineNumber"],
                quantity=line["quantity"],
                shipped_quantity=line["shippedQuantity"],
                sku=_sku(line["sku"]),
            )
            for line in node["lines"]
        ],
        returns=[
            Return(
                id=strawberry.ID(ret["id"]),
                status=ret["status"],
                refund_total_cents=ret["refundTotalCents"],
                lines=[
                    ReturnLine(quantity=line["quantity"], sku=_sku(line["sku"]))
                    for line in ret["lines"]
                ],
            )
            for ret in node["returns"]
        ],
    )


def page_from_json(answer: dict[str, Any]) -> OrderConnection:
    """The page held in memory, from retailtwin's answer to the same query."""
    orders = answer["data"]["orders"]
    edges = [
        OrderEdge(cursor=edge["cursor"], node=_order(edge["node"])) for edge in orders["edges"]
    ]
    return OrderConnection(total_count=orders["totalCount"], edges=edges)


def bare_app(page: OrderConnection) -> GraphQL[None, None]:
    @strawberry.type
    class Query:
        @strawberry.field
        async def orders(
            self, first: int | None = None, filter: OrderFilter | None = None
        ) -> OrderConnection:
            return page

    return GraphQL(strawberry.Schema(query=Query), graphql_ide=None)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.bare_graphql", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("page", type=Path, help="retailtwin's answer to the orders page")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    page = page_from_json(json.loads(args.page.read_text()))
    uvicorn.run(bare_app(page), host=args.host, port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
