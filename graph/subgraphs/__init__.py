"""The four Federation v2 subgraphs, each servable alone (see graph/schema.py)."""
