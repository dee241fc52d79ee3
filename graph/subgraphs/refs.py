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

from graph.types.inventory import LOCATION_HELP, POSITION_HELP, SKU_HELP
from graph.types.node import Node
from graph.types.returns import RETURN_HELP


@strawberry.federation.type(
    keys=[Key(fields=FieldSet("id"), resolvable=False)], name="Sku", description=SKU_HELP
)
class SkuRef(Node):
    pass


@strawberry.federation.type(
    keys=[Key(fields=FieldSet("id"), resolvable=False)], name="Location", description=LOCATION_HELP
)
class LocationRef(Node):
    pass


@strawberry.federation.type(
    keys=[Key(fields=FieldSet("id"), resolvable=False)], name="Return", description=RETURN_HELP
)
class ReturnRef(Node):
    pass


@strawberry.federation.type(
    keys=[Key(fields=FieldSet("id"), resolvable=False)],
    name="InventoryPosition",
    description=POSITION_HELP,
)
class InventoryPositionRef(Node):
    pass
