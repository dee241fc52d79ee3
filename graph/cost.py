"""What a query costs, in Shopify's manner, computed from the document before it runs.

Every field has a cost by what it returns: a scalar or an enum 0, an object 1 (a list of
objects too: the API's plain lists are an order's own lines, payments, returns, a few
each), a connection 2 plus its page size (`first`, or `last`; 20 when neither is given)
times what one of its items costs, and a mutation 10 on top of its payload; a field
fetching one object per key (`nodes(ids:)`, federation's `_entities`) costs per key.
The cost of a query is the sum over the fields it selects, fragments included;
introspection is free. So `orders(first: 10) { nodes { id } }` costs 2 + 10 x 1 = 12, and
`orders(first: 10) { nodes { lines { sku { id } } } }` costs 2 + 10 x (1 + 1 + 1) = 32.

The requested cost is the most the query can cost, from its arguments; the actual cost
is counted the same way over what the answer holds (a page shorter than asked, a null
object), which is what the client is finally charged (graph/cost_limiter.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Final

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInt,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
    get_operation_ast,
    is_leaf_type,
    value_from_ast,
    value_from_ast_untyped,
)

from graph.types.pagination import DEFAULT_PAGE

#: what a field returning an object (or a list of objects) costs
OBJECT_COST: Final = 1
#: what a connection costs before its items
CONNECTION_COST: Final = 2
#: what a mutation costs before its payload
MUTATION_COST: Final = 10
#: the page size of a connection asked for without `first` or `last`
DEFAULT_PAGE_SIZE: Final = DEFAULT_PAGE


@dataclass(frozen=True, slots=True)
class _Selected:
    """A field a selection set selects, as the actual cost counts it: the key its value
    has in the answer, the named type it returns, and whether it is free (introspection,
    a scalar or an enum, a field the type does not have)."""

    node: FieldNode
    key: str
    named: GraphQLNamedType | None
    free: bool
    connection: bool


@dataclass(frozen=True, slots=True)
class _Walk:
    schema: GraphQLSchema
    fragments: Mapping[str, FragmentDefinitionNode]
    variables: dict[str, Any]
    #: each selection set's fields on a type, worked out once per walk: the actual cost
    #: visits one selection set for every object of a list or page in the answer
    _selected: dict[tuple[int, str], list[_Selected]] = field(default_factory=dict)

    def selected(
        self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType
    ) -> list[_Selected]:
        """`fields(selection_set, parent)` with what the actual cost needs of each."""
        if selection_set is None:
            return []
        memo = (id(selection_set), parent.name)
        found = self._selected.get(memo)
        if found is None:
            found = []
            for node, on in self.fields(selection_set, parent, frozenset()):
                named = self.field_type(node, on)
                free = node.name.value.startswith("__") or named is None or is_leaf_type(named)
                key = node.alias.value if node.alias else node.name.value
                found.append(_Selected(node, key, named, free, is_connection(named)))
            self._selected[memo] = found
        return found

    def fields(
        self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType, seen: frozenset[str]
    ) -> Iterator[tuple[FieldNode, GraphQLNamedType]]:
        """The fields a selection set selects, through its fragments, each with the
        type it is selected on. A fragment spread twice along one path (which
        validation refuses anyway) is followed once."""
        if selection_set is None:
            return
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                yield selection, parent
            elif isinstance(selection, InlineFragmentNode):
                on = self._type(selection.type_condition, parent)
                yield from self.fields(selection.selection_set, on, seen)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = self.fragments.get(name)
                if fragment is None or name in seen:
                    continue
                on = self._type(fragment.type_condition, parent)
                yield from self.fields(fragment.selection_set, on, seen | {name})

    def _type(self, condition: Any, parent: GraphQLNamedType) -> GraphQLNamedType:
        if condition is None:
            return parent
        found = self.schema.get_type(condition.name.value)
        return parent if found is None else found

    def field_type(self, node: FieldNode, parent: GraphQLNamedType) -> GraphQLNamedType | None:
        if not isinstance(parent, GraphQLObjectType | GraphQLInterfaceType):
            return None
        definition = parent.fields.get(node.name.value)
        return None if definition is None else get_named_type(definition.type)

    def argument(self, node: FieldNode, name: str) -> Any:
        for argument in node.arguments or ():
            if argument.name.value == name:
                return value_from_ast_untyped(argument.value, self.variables)
        return None

    def page_size(self, node: FieldNode) -> int:
        for name in ("first", "last"):
            for argument in node.arguments or ():
                if argument.name.value == name:
                    size = value_from_ast(argument.value, GraphQLInt, self.variables)
                    # a variable left out (Undefined) or null: the default page
                    return max(size, 0) if isinstance(size, int) else DEFAULT_PAGE_SIZE
        return DEFAULT_PAGE_SIZE


def is_connection(named: GraphQLNamedType | None) -> bool:
    """A Relay connection: an object type named `...Connection` with `edges` or `nodes`."""
    return (
        isinstance(named, GraphQLObjectType)
        and named.name.endswith("Connection")
        and ("edges" in named.fields or "nodes" in named.fields)
    )


def _batch(walk: _Walk, node: FieldNode) -> list[Any] | None:
    """The keys of a field that fetches one object per key, each charged: federation's
    `_entities(representations:)` and `nodes(ids:)`; None for any other field."""
    for name in ("representations", "ids"):
        keys = walk.argument(node, name)
        if isinstance(keys, list):
            return keys
    return None


class _Requested:
    """The most a query can cost, from its document and variables alone."""

    def __init__(self, walk: _Walk) -> None:
        self.walk = walk

    def selection(self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType) -> int:
        fields = self.walk.fields(selection_set, parent, frozenset())
        return sum(self.field(node, on) for node, on in fields)

    def field(self, node: FieldNode, parent: GraphQLNamedType) -> int:
        if node.name.value.startswith("__"):
            return 0  # introspection (GraphiQL's schema query, __typename) is free
        named = self.walk.field_type(node, parent)
        if named is None or is_leaf_type(named):
            return 0
        if is_connection(named):
            item = self.item(node.selection_set, named)
            return CONNECTION_COST + self.walk.page_size(node) * item
        child = OBJECT_COST + self.selection(node.selection_set, named)
        batch = _batch(self.walk, node)
        return child if batch is None else len(batch) * child

    def item(self, selection_set: SelectionSetNode | None, connection: GraphQLNamedType) -> int:
        """What one item of a connection costs: its node (through `edges { node }` or
        `nodes`); the rest of the connection (`pageInfo`, `totalCount`, cursors) is in
        the connection's own cost."""
        cost = 0
        for node, on in self.walk.fields(selection_set, connection, frozenset()):
            name = node.name.value
            named = self.walk.field_type(node, on)
            if named is None:
                continue
            if name == "nodes":
                cost += OBJECT_COST + self.selection(node.selection_set, named)
            elif name == "edges":
                for inner, edge in self.walk.fields(node.selection_set, named, frozenset()):
                    inner_type = self.walk.field_type(inner, edge)
                    if inner.name.value == "node" and inner_type is not None:
                        cost += OBJECT_COST + self.selection(inner.selection_set, inner_type)
        return cost


class _Actual:
    """The cost of what an answer holds: the requested rules over the data returned,
    a connection's items counted as they came and a null object as nothing."""

    def __init__(self, walk: _Walk) -> None:
        self.walk = walk

    def selection(
        self, selection_set: SelectionSetNode | None, parent: GraphQLNamedType, data: Any
    ) -> int:
        if not isinstance(data, Mapping):
            return 0
        total = 0
        for selected in self.walk.selected(selection_set, parent):
            if not selected.free and selected.key in data:
                total += self.field(selected, data[selected.key])
        return total

    def field(self, selected: _Selected, value: Any) -> int:
        named, node = selected.named, selected.node
        if selected.free or value is None or named is None:
            return 0
        if selected.connection:
            return CONNECTION_COST + self.items(node.selection_set, named, value)
        if isinstance(value, list) and _batch(self.walk, node) is not None:
            # one object per id asked for (as requested), each as it came
            return sum(
                OBJECT_COST + self.selection(node.selection_set, named, item)
                for item in value
                if item is not None
            )
        if isinstance(value, list):
            # a plain list is charged as one object (as requested), at its dearest item
            costs = [self.selection(node.selection_set, named, item) for item in value]
            return OBJECT_COST + max(costs, default=0) if value else 0
        return OBJECT_COST + self.selection(node.selection_set, named, value)

    def items(self, selection_set: SelectionSetNode | None, connection: Any, data: Any) -> int:
        if not isinstance(data, Mapping):
            return 0
        cost = 0
        for selected in self.walk.selected(selection_set, connection):
            named, node = selected.named, selected.node
            value = data.get(selected.key)
            if named is None or not isinstance(value, list):
                continue
            if node.name.value == "nodes":
                for item in value:
                    if item is not None:
                        cost += OBJECT_COST + self.selection(node.selection_set, named, item)
            elif node.name.value == "edges":
                for edge in value:
                    cost += self._edge(node.selection_set, named, edge)
        return cost

    def _edge(self, selection_set: SelectionSetNode | None, edge_type: Any, edge: Any) -> int:
        if not isinstance(edge, Mapping):
            return 0
        cost = 0
        for inner in self.walk.selected(selection_set, edge_type):
            if inner.node.name.value != "node" or inner.named is None:
                continue
            if edge.get(inner.key) is not None:
                cost += OBJECT_COST + self.selection(
                    inner.node.selection_set, inner.named, edge[inner.key]
                )
        return cost


def _operation(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> tuple[_Walk, OperationDefinitionNode, GraphQLObjectType] | None:
    operation = get_operation_ast(document, operation_name)
    if operation is None:
        return None
    root = schema.get_root_type(operation.operation)
    if root is None:
        return None
    fragments = {
        definition.name.value: definition
        for definition in document.definitions
        if isinstance(definition, FragmentDefinitionNode)
    }
    return _Walk(schema, fragments, dict(variables or {})), operation, root


def requested_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None = None,
    variables: Mapping[str, Any] | None = None,
) -> int | None:
    """The most the operation can cost; None when the document names no operation to
    run (validation says why)."""
    found = _operation(schema, document, operation_name, variables)
    if found is None:
        return None
    walk, operation, root = found
    requested = _Requested(walk)
    mutation = operation.operation is OperationType.MUTATION
    return sum(
        requested.field(node, on) + (MUTATION_COST if mutation else 0)
        for node, on in walk.fields(operation.selection_set, root, frozenset())
    )


def actual_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    data: Mapping[str, Any] | None,
    operation_name: str | None = None,
    variables: Mapping[str, Any] | None = None,
) -> int:
    """What the operation cost, counted over the answer's `data`."""
    found = _operation(schema, document, operation_name, variables)
    if found is None or data is None:
        return 0
    walk, operation, root = found
    actual = _Actual(walk)
    mutation = operation.operation is OperationType.MUTATION
    total = 0
    for selected in walk.selected(operation.selection_set, root):
        if selected.key in data:
            total += actual.field(selected, data[selected.key]) + (MUTATION_COST if mutation else 0)
    return total
