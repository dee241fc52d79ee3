"""Schema extensions: the guards every schema runs with.

Error masking keeps client errors readable and hides internal ones; depth, token and
alias limits refuse abusive documents before they execute; `ExecutionMarker` records
that a request got as far as execution, which tells the HTTP view a request error
(parse or validation, 400) from a response that merely carries errors (200).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from strawberry.extensions import (
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from graph.context import Context
from graph.errors import should_mask_error
from graph.metrics import RequestMetrics
from graph.settings import ApiSettings


class ExecutionMarker(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        context = self.execution_context.context
        if isinstance(context, Context):
            context.executed = True
        yield


def schema_extensions(settings: ApiSettings) -> list[Callable[[], SchemaExtension]]:
    return [
        RequestMetrics,
        partial(MaskErrors, should_mask_error=should_mask_error),
        partial(QueryDepthLimiter, max_depth=settings.max_depth),
        partial(MaxTokensLimiter, max_token_count=settings.max_tokens),
        partial(MaxAliasesLimiter, max_alias_count=settings.max_aliases),
        ExecutionMarker,
    ]
