"""Which requests may execute off the server's loop: queries (graph/query_threads.py).

Decided before strawberry executes the request, from the same document it will parse
(at most `max_tokens` tokens, as the token limit allows). A document that does not
parse, or names no operation it holds, executes where it is: strawberry answers it
with the error, having read nothing.
"""

from __future__ import annotations

from functools import lru_cache

from graphql import GraphQLError, OperationType, get_operation_ast, parse


@lru_cache(maxsize=256)
def executes_off_loop(query: str | None, operation_name: str | None, max_tokens: int) -> bool:
    """True for a query, or a document that will be refused before it executes."""
    if not query:
        return True
    try:
        document = parse(query, max_tokens=max_tokens, no_location=True)
    except GraphQLError:
        return True
    operation = get_operation_ast(document, operation_name)
    return operation is None or operation.operation is OperationType.QUERY
