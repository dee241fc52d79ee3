"""References to entities another subgraph owns: just the key, `resolvable: false`.

The orders and returns subgraphs point at SKUs and locations without knowing anything
about them; the gateway asks the inventory subgraph for the rest. The orders subgraph's
`node` field returns returns and stock positions the same way. Every reference is a
`Node`, as the entity it stands for is.
"""

from __future__ import annotations

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet

from graph.types.node import Node


@strawberry.federation.type(keys=[Key(fields=FieldSet("id"), resolvable=False)], name="Sku")
class SkuRef(Node):
    pass


@strawberry.federation.type(keys=[Key(fields=FieldSet("id"), resolvable=False)], name="Location")
class LocationRef(Node):
    pass


@strawberry.federation.type(keys=[Key(fields=FieldSet("id"), resolvable=False)], name="Return")
class ReturnRef(Node):
    pass


@strawberry.federation.type(
    keys=[Key(fields=FieldSet("id"), resolvable=False)], name="InventoryPosition"
)
class InventoryPositionRef(Node):
    pass
