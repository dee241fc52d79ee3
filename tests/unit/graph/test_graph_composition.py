"""The composed schema's root fields are the four subgraphs' root fields, no more and no
fewer, each with the same type, description and arguments as in its subgraph. A root
field a subgraph serves but composition leaves out, or one only the composed schema
has, fails here."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLField, GraphQLObjectType, GraphQLSchema

from graph.schema import SUBGRAPHS, composed_schema, subgraph_schema

#: what federation adds to every subgraph's Query, for the gateway alone
FEDERATION_FIELDS = frozenset({"_service", "_entities"})
OPERATIONS = ("query", "mutation", "subscription")

Signature = tuple[str, str | None, dict[str, tuple[str, Any, str | None]]]


def _root(schema: GraphQLSchema, operation: str) -> GraphQLObjectType | None:
    root: GraphQLObjectType | None = getattr(schema, f"{operation}_type")
    return root


def _signature(field: GraphQLField) -> Signature:
    """The field's type, description, and each argument's type, default and description."""
    arguments = {
        name: (str(arg.type), arg.default_value, arg.description)
        for name, arg in field.args.items()
    }
    return str(field.type), field.description, arguments


@pytest.fixture(scope="module")
def subgraphs() -> dict[str, GraphQLSchema]:
    return {name: subgraph_schema(name)._schema for name in SUBGRAPHS}


@pytest.fixture(scope="module")
def composed() -> GraphQLSchema:
    return composed_schema()._schema


def _subgraph_root_fields(
    subgraphs: dict[str, GraphQLSchema], operation: str
) -> dict[str, Signature]:
    fields: dict[str, Signature] = {}
    owners: dict[str, str] = {}
    for name, schema in subgraphs.items():
        root = _root(schema, operation)
        for field_name, field in (root.fields if root else {}).items():
            if field_name in FEDERATION_FIELDS:
                continue
            assert field_name not in owners, (
                f"{operation} field {field_name} is declared by both {owners[field_name]} "
                f"and {name}"
            )
            owners[field_name] = name
            fields[field_name] = _signature(field)
    return fields


@pytest.mark.parametrize("operation", OPERATIONS)
def test_composed_root_fields_are_the_union_of_the_subgraphs(
    operation: str, subgraphs: dict[str, GraphQLSchema], composed: GraphQLSchema
) -> None:
    expected = _subgraph_root_fields(subgraphs, operation)
    root = _root(composed, operation)
    actual = {name: _signature(field) for name, field in (root.fields if root else {}).items()}
    assert expected, f"no subgraph has a {operation} field"
    missing, extra = sorted(expected.keys() - actual), sorted(actual.keys() - expected)
    assert (missing, extra) == ([], []), f"composed {operation}: missing {missing}, extra {extra}"
    assert actual == expected


def test_composed_object_types_have_every_field_a_subgraph_gives_them(
    subgraphs: dict[str, GraphQLSchema], composed: GraphQLSchema
) -> None:
    """Entity fields spread over subgraphs (an order's returns come from the returns
    subgraph) are declared again in graph/composed.py to resolve whole entities; a
    field dropped there, or a type that lost one, fails here."""
    expected: dict[str, set[str]] = {}
    for schema in subgraphs.values():
        for name, kind in schema.type_map.items():
            roots = {_root(schema, operation) for operation in OPERATIONS}
            if (
                isinstance(kind, GraphQLObjectType)
                and not name.startswith("_")
                and kind not in roots
            ):
                expected.setdefault(name, set()).update(kind.fields)
    assert len(expected) > 20
    for name, fields in sorted(expected.items()):
        kind = composed.type_map.get(name)
        assert isinstance(kind, GraphQLObjectType), f"composed schema has no type {name}"
        missing = sorted(fields - set(kind.fields))
        assert not missing, f"composed {name} lacks {missing}"
