"""The GraphQL API over the twin (strawberry on starlette, Federation v2 subgraphs)."""
