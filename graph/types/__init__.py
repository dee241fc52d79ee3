"""GraphQL types, by domain. Field groups shared by every schema (the composed server and
the four subgraphs) live here; the schemas in graph/subgraphs/ and graph/composed.py add
the fields that point at other subgraphs' entities."""
