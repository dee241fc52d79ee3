"""Validation errors a person can read, however many the document has.

graphql-core stops validating at 100 errors and adds a bare "Too many validation errors,
error limit reached. Validation aborted.": a field repeated 700 times gets a hundred
copies of one message and that line. Here identical messages are reported once, with
how many times and where (the first few places), and the stop says what it means.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from graphql import GraphQLError, Node
from strawberry.extensions import SchemaExtension

#: how many places of one repeated error are listed
MAX_LOCATIONS = 10
_ABORTED = "Too many validation errors, error limit reached."


def readable(errors: Sequence[GraphQLError]) -> list[GraphQLError]:
    """The same errors, each distinct message once; the limit's stop explained."""
    aborted = any(error.message.startswith(_ABORTED) for error in errors)
    groups: dict[str, list[GraphQLError]] = {}
    for error in errors:
        if not error.message.startswith(_ABORTED):
            groups.setdefault(error.message, []).append(error)
    merged: list[GraphQLError] = []
    for message, same in groups.items():
        if len(same) == 1:
            merged.append(same[0])
            continue
        nodes: list[Node] = [node for error in same for node in (error.nodes or ())]
        merged.append(
            GraphQLError(
                f"{message} ({len(same)}{' or more' if aborted else ''} times)",
                nodes=nodes[:MAX_LOCATIONS] or None,
                extensions=same[0].extensions,
            )
        )
    if aborted:
        counted = sum(len(same) for same in groups.values())
        merged.append(
            GraphQLError(
                f"validation stopped after {counted} errors, and the document has more: "
                "correct the errors above and send it again",
                extensions={"code": "GRAPHQL_VALIDATION_FAILED"},
            )
        )
    return merged


class ReadableValidationErrors(SchemaExtension):
    """Listed after `ValidationCache`, whose hook validates on entering: strawberry
    answers a request that failed validation from inside the validation stage, so the
    errors are rewritten on entering too, not after it."""

    def on_validate(self) -> Iterator[None]:
        errors = self.execution_context.pre_execution_errors
        if errors:
            self.execution_context.pre_execution_errors = readable(errors)
        yield
