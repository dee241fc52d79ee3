"""Customer fields every schema shares. The schemas add `orders`, a page of the
customer's orders, whose type differs between the orders subgraph and the composed
server.

Customers are the world's synthetic shoppers (simulators/world.py): made-up names and
addresses under example.com, never a real person's."""

from __future__ import annotations

from typing import Self

import strawberry

from graph.types.node import Node, NodeType, global_id
from hub.adapters.read_model.records import CustomerRecord

CUSTOMER_TYPE_HELP = "A shopper of the simulated world who places orders through the channels."


@strawberry.type
class CustomerFields(Node):
    legacy_resource_id: str = strawberry.field(
        description="The customer's raw id, as orders recorded it before global ids."
    )
    display_name: str = strawberry.field(description="The customer's name, first then last.")
    email: str = strawberry.field(
        description="The customer's contact address (synthetic, under example.com)."
    )
    region: str = strawberry.field(description="The region the customer shops from.")

    @classmethod
    def from_domain(cls, record: CustomerRecord) -> Self:
        return cls(
            id=global_id(NodeType.CUSTOMER, record.id),
            legacy_resource_id=record.id,
            display_name=record.name,
            email=record.email,
            region=record.region,
        )
