"""The query cost calculator (graph/cost.py): Shopify's rules over the served schema,
the requested cost from the document and its variables, the actual cost from the
answer."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLSchema, parse

from graph.cost import (
    CONNECTION_COST,
    DEFAULT_PAGE_SIZE,
    MUTATION_COST,
    OBJECT_COST,
    actual_cost,
    requested_cost,
)
from graph.schema import composed_schema, subgraph_schema


@pytest.fixture(scope="module")
def schema() -> GraphQLSchema:
    return composed_schema()._schema


def cost(schema: GraphQLSchema, query: str, variables: dict[str, Any] | None = None) -> int | None:
    return requested_cost(schema, parse(query), None, variables)


def test_scalars_are_free_objects_cost_one_connections_two_plus_their_page(
    schema: GraphQLSchema,
) -> None:
    assert cost(schema, '{ order(id: "W-1") { id status totalCents } }') == OBJECT_COST
    assert cost(schema, '{ order(id: "W-1") { id lines { quantity sku { id } } } }') == 3
    # Shopify's own example shape: products(first: 10) { edges { node { id } } } is 12
    assert cost(schema, "{ orders(first: 10) { edges { node { id } } } }") == 12
    assert cost(schema, "{ orders(first: 10) { nodes { id } } }") == CONNECTION_COST + 10
    # a node's fields are multiplied by the page size; pageInfo and totalCount are the
    # connection's own
    query = """{ orders(first: 10) { totalCount pageInfo { hasNextPage endCursor }
        edges { cursor node { id lines { sku { id } } } } } }"""
    assert cost(schema, query) == 2 + 10 * (1 + 1 + 1)
    # without first, the default page
    assert cost(schema, "{ orders { nodes { id } } }") == 2 + DEFAULT_PAGE_SIZE


def test_nested_connections_multiply_and_variables_count(schema: GraphQLSchema) -> None:
    query = """query($n: Int, $m: Int) {
        skus(first: $n) { nodes { id } } orders(first: $m) { nodes { id } } }"""
    assert cost(schema, query, {"n": 50, "m": 3}) == (2 + 50) + (2 + 3)
    assert cost(schema, query, {}) == 2 * (2 + DEFAULT_PAGE_SIZE)
    deep = "{ orders(first: 100) { nodes { returns { order { returns { id } } } } } }"
    assert cost(schema, deep) == 2 + 100 * (1 + 1 + 1 + 1)


def test_fragments_count_like_the_fields_they_hold(schema: GraphQLSchema) -> None:
    inline = "{ orders(first: 5) { nodes { ... on Order { id lines { quantity } } } } }"
    named = "fragment F on Order { id lines { quantity } } { orders(first: 5) { nodes { ...F } } }"
    assert cost(schema, inline) == cost(schema, named) == 2 + 5 * (1 + 1)


def test_mutations_cost_ten_and_introspection_is_free(schema: GraphQLSchema) -> None:
    mutation = """mutation { orderCancel(input: {idempotencyKey: "k", orderId: "W-1"}) {
        order { id } userErrors { code } } }"""
    assert cost(schema, mutation) == MUTATION_COST + 1 + 1 + 1
    assert cost(schema, "{ __schema { types { name fields { name } } } __typename }") == 0


def test_the_operation_named_is_the_one_costed(schema: GraphQLSchema) -> None:
    document = parse(
        "query A { orders(first: 1) { nodes { id } } } query B { skus { nodes { id } } }"
    )
    assert requested_cost(schema, document, "A") == 3
    assert requested_cost(schema, document, "B") == 22
    assert requested_cost(schema, document, None) is None  # which one? validation says


def test_federation_entities_cost_one_per_representation() -> None:
    orders = subgraph_schema("orders")._schema
    query = """query($r: [_Any!]!) { _entities(representations: $r) { ... on Order { id
        lines { quantity } } } }"""
    three = {"r": [{"__typename": "Order", "id": f"W-{i}"} for i in range(3)]}
    assert requested_cost(orders, parse(query), None, three) == 3 * (1 + 1)


def test_the_actual_cost_counts_what_came_back(schema: GraphQLSchema) -> None:
    query = '{ orders(first: 10) { nodes { id lines { sku { id } } } } order(id: "x") { id } }'
    document = parse(query)
    assert requested_cost(schema, document) == (2 + 10 * 3) + 1
    two_orders = {
        "orders": {
            "nodes": [
                {"id": "W-1", "lines": [{"sku": {"id": "S"}}, {"sku": None}]},
                {"id": "W-2", "lines": []},
            ]
        },
        "order": None,
    }
    # a page of two; the second order's lines are empty; the order asked for is null
    assert actual_cost(schema, document, two_orders) == 2 + (1 + 1 + 1) + 1
    assert actual_cost(schema, document, None) == 0
    aliased = parse("{ a: orders(first: 10) { edges { node { id } } } }")
    answer = {"a": {"edges": [{"node": {"id": "W-1"}}, {"node": None}]}}
    assert actual_cost(schema, aliased, answer) == 2 + 1


def test_nodes_cost_one_object_per_id(schema: GraphQLSchema) -> None:
    """`nodes(ids:)` fetches one object per id: asking for 200 costs 200, not 1, and the
    answer is charged for the objects found."""
    query = 'query($ids: [ID!]!) { nodes(ids: $ids) { id } node(id: "x") { id } }'
    ids = {"ids": [f"id-{i}" for i in range(200)]}
    assert requested_cost(schema, parse(query), None, ids) == 200 + 1
    found = {"nodes": [{"id": "a"}, None, {"id": "b"}], "node": None}
    assert actual_cost(schema, parse(query), found, None, ids) == 2
