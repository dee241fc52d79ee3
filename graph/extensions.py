"""Schema extensions: the guards every schema runs with.

Error masking keeps client errors readable and hides internal ones; depth, token,
alias and query-cost limits refuse abusive documents before they execute, and a
client's query-cost bucket throttles it (graph/cost_limiter.py); repeated validation
errors are merged (graph/validation_errors.py); parsing and validation are cached per
document (the limits are validation rules, so a cached document was checked);
`ExecutionMarker` records that a request got as far as execution, which tells the HTTP
view a request error (parse or validation, 400) from a response that merely carries
errors (200).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from graphql import ASTValidationRule
from strawberry.extensions import (
    AddValidationRules,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

from graph.context import Context
from graph.cost_limiter import QueryCostLimiter
from graph.errors import should_mask_error
from graph.request_metrics import RequestMetrics
from graph.settings import ApiSettings
from graph.validation_errors import ReadableValidationErrors


class ExecutionMarker(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        context = self.execution_context.context
        if isinstance(context, Context):
            context.executed = True
        yield


def limit_rules(settings: ApiSettings) -> list[type[ASTValidationRule]]:
    """The depth and alias limits as validation rules, built once per schema.

    Each limiter extension builds a new rule class when it is constructed, and a
    request gets fresh extensions: validation-cache keys include the rules, so fresh
    classes would make every request a cache miss. Building the rules once and adding
    them per request keeps the limits and lets the cache work.
    """
    depth = QueryDepthLimiter(max_depth=settings.max_depth)
    aliases = MaxAliasesLimiter(max_alias_count=settings.max_aliases)
    return [*depth.validation_rules, *aliases.validation_rules]


def schema_extensions(settings: ApiSettings) -> list[Callable[[], SchemaExtension]]:
    return [
        RequestMetrics,
        partial(MaskErrors, should_mask_error=should_mask_error),
        partial(AddValidationRules, limit_rules(settings)),
        partial(MaxTokensLimiter, max_token_count=settings.max_tokens),
        # frontends send the same documents over and over: parse and validate each once
        partial(ParserCache, maxsize=256),
        partial(ValidationCache, maxsize=256),
        ReadableValidationErrors,
        # after validation (a cached validation included): the document is valid
        partial(QueryCostLimiter, max_cost=settings.max_cost),
        ExecutionMarker,
    ]
