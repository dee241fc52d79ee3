"""Which errors a client sees, and which are masked.

Expected outcomes are never errors (a missing order is `null`, a business rule is a
`userError`). What remains is either the client's fault, reported with a message that
says what was wrong and what was expected (`BadInput`, GraphQL validation, a permission
check), or the server's, which is masked so internals never leak.
"""

from __future__ import annotations

from graphql import GraphQLError


class BadInput(GraphQLError):
    """An argument the schema's types accept but the API cannot use (a foreign cursor,
    `first: 0`). Raised from resolvers; shown to the client as is."""

    def __init__(self, message: str) -> None:
        super().__init__(message, extensions={"code": "BAD_USER_INPUT"})


def ensure_live(read_only: bool) -> None:
    """A subscription on a server whose data never changes would wait forever in
    silence; say so instead."""
    if read_only:
        raise BadInput(
            "this server serves a finished run, which never changes, so a subscription "
            "would never receive anything; subscribe to a live twin (`retailtwin serve "
            "SCENARIO`)"
        )


def should_mask_error(error: GraphQLError) -> bool:
    """Mask everything that did not come from the client's own request: validation and
    parse errors have no original error, and our own GraphQLErrors are meant to be
    read."""
    original = error.original_error
    return original is not None and not isinstance(original, GraphQLError)
