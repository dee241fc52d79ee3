"""References to entities another subgraph owns: just the key, `resolvable: false`.

The orders and returns subgraphs point at SKUs and locations without knowing anything
about them; the gateway asks the inventory subgraph for the rest.
"""

from __future__ import annotations

import strawberry
from strawberry.federation.schema_directives import Key
from strawberry.federation.types import FieldSet


@strawberry.federation.type(keys=[Key(fields=FieldSet("id"), resolvable=False)], name="Sku")
class SkuRef:
    id: strawberry.ID


@strawberry.federation.type(keys=[Key(fields=FieldSet("id"), resolvable=False)], name="Location")
class LocationRef:
    id: strawberry.ID
