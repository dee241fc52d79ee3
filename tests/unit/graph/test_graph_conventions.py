"""The schema keeps its conventions on every element, not only the ones someone
remembered: every type, field, argument, input field and enum value is described; enum
values are one casing; names are US English (as Shopify's and Saleor's are); and
anything renamed stays, deprecated, with the name that replaces it.

The composed schema holds every subgraph's fields, so walking it covers the subgraphs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
)
from graphql.type.introspection import introspection_types

from graph.schema import SUBGRAPHS, composed_schema, subgraph_schema

#: British spellings this API once mixed with US ones, as stems matched case-blind
BRITISH = re.compile(
    r"fulfil(?!l)|authoris|catalogu|colour|behaviour|organis|licence|centre|cancell?ation_?s?$"
)
#: names of each of a schema's built-in scalars, described by the spec, not by us
BUILT_IN_SCALARS = frozenset({"String", "Int", "Float", "Boolean", "ID"})
#: a deprecation names its replacement, in backticks, so a client knows where to go
REPLACEMENT = re.compile(r"`[A-Za-z_][A-Za-z0-9_.()]*`")


def _schema() -> GraphQLSchema:
    return composed_schema()._schema


def _own_types(schema: GraphQLSchema) -> Iterator[GraphQLNamedType]:
    for name, named in sorted(schema.type_map.items()):
        if name.startswith("__") or name in introspection_types or name in BUILT_IN_SCALARS:
            continue
        if name.startswith("_") or name.startswith("link__"):  # federation's own
            continue
        yield named


def _elements(schema: GraphQLSchema) -> Iterator[tuple[str, str | None, str | None]]:
    """(path, description, deprecation reason) for every element a client can see."""
    for named in _own_types(schema):
        yield named.name, named.description, None
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in named.fields.items():
                path = f"{named.name}.{field_name}"
                yield path, field.description, field.deprecation_reason
                for arg_name, arg in field.args.items():
                    yield f"{path}({arg_name})", arg.description, arg.deprecation_reason
        elif isinstance(named, GraphQLInputObjectType):
            for field_name, input_field in named.fields.items():
                path = f"{named.name}.{field_name}"
                yield path, input_field.description, input_field.deprecation_reason
        elif isinstance(named, GraphQLEnumType):
            for value_name, value in named.values.items():
                path = f"{named.name}.{value_name}"
                yield path, value.description, value.deprecation_reason
        elif isinstance(named, GraphQLUnionType):
            pass


def test_every_type_field_argument_and_enum_value_is_described() -> None:
    missing = [path for path, description, _ in _elements(_schema()) if not description]
    assert missing == [], f"{len(missing)} undescribed: " + ", ".join(missing)


@pytest.mark.parametrize("name", SUBGRAPHS)
def test_each_subgraph_describes_what_it_serves_alone(name: str) -> None:
    """A subgraph's own view (its references to other subgraphs' entities, its root
    types) is what Hive Gateway composes and a subgraph's client reads; federation's
    `_entities` and `_service` are the spec's, not ours."""
    schema = subgraph_schema(name)._schema
    missing = [
        path
        for path, description, _ in _elements(schema)
        if not description and not path.split(".")[-1].startswith("_")
    ]
    assert missing == [], f"{name}: {len(missing)} undescribed: " + ", ".join(missing)


def test_enum_values_are_one_casing() -> None:
    odd = [
        f"{named.name}.{value}"
        for named in _own_types(_schema())
        if isinstance(named, GraphQLEnumType)
        for value in named.values
        if not re.fullmatch(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)*", value)
    ]
    assert odd == []


def test_names_in_use_are_us_english() -> None:
    british = [
        path
        for path, _, deprecated in _elements(_schema())
        if deprecated is None and BRITISH.search(path.split("(")[-1].rstrip(")").lower())
    ]
    assert british == [], "British spellings outside deprecated names: " + ", ".join(british)


def test_every_deprecation_names_what_replaces_it() -> None:
    vague = [
        f"{path}: {reason}"
        for path, _, reason in _elements(_schema())
        if reason is not None and not REPLACEMENT.search(reason)
    ]
    assert vague == []


@pytest.mark.parametrize("word", ["fulfilment", "authorised", "catalogue"])
def test_the_spelling_check_catches_british_words(word: str) -> None:
    assert BRITISH.search(word)
