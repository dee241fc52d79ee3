"""The four Federation v2 subgraphs, each servable alone (see graph/schema.py)."""

from typing import Final

#: the subgraphs' names, in the order they are listed and served: graph/schema.py maps
#: each to its root types, and `retailtwin serve --subgraph` offers them without
#: importing the schema (and strawberry with it) for every command
SUBGRAPH_NAMES: Final = ("orders", "inventory", "returns", "operations")
