"""Which errors a client sees, and which are masked.

Expected outcomes are never errors (a missing order is `null`, a business rule is a
`userError`). What remains is either the client's fault, reported with a message that
says what was wrong and what was expected (`BadInput`, GraphQL validation, a permission
check), or the server's, which is masked so internals never leak.
"""

from __future__ import annotations

import logging

from graphql import GraphQLError


class BadInput(GraphQLError):
    """An argument the schema's types accept but the API cannot use (a foreign cursor,
    `first: 0`). Raised from resolvers; shown to the client as is."""

    def __init__(self, message: str, argument: str | None = None) -> None:
        extensions: dict[str, object] = {"code": "BAD_USER_INPUT"}
        if argument is not None:
            extensions["argument"] = argument
        super().__init__(message, extensions=extensions)


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


class ClientErrorsUnlogged(logging.Filter):
    """strawberry logs every error of every request, with a traceback: a client's typo
    or `first: 500` then looks like a crash in the server's terminal. The client gets
    those errors with their messages; the log keeps only the server's own failures
    (the errors that are masked), traceback and all."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.msg
        return not isinstance(error, GraphQLError) or should_mask_error(error)


CLIENT_ERRORS_UNLOGGED = ClientErrorsUnlogged()


def quiet_client_errors() -> None:
    """Install the filter on strawberry's execution logger (once; idempotent)."""
    logging.getLogger("strawberry.execution").addFilter(CLIENT_ERRORS_UNLOGGED)
