"""No compiled module builds a generator expression that mypyc turns into a list.

mypyc 2.4.1 compiles a generator expression as a list comprehension ("Treating
generator comprehension as list" in `make compile`'s output) unless it is the one
argument of a call mypyc specialises (`any`, `all`, `sum`, `next`, `tuple`, `list`,
`set`, `sorted`, `str.join`, ...). So compiled, `return (record for _, record in
table.entries())` read every sealed record of the table back into memory before the
first was used: the judging's peak was 42.9 MiB compiled against 8.4 MiB from the
sources (black-friday at 0.25), 34.5 MiB of it such a list. The sources stream it, so
only the compiled build's memory shows the fault. A generator function (`for ...:
yield ...`) streams in both builds; a list comprehension says what it costs."""

from __future__ import annotations

import ast

from script_support import lines_in_compiled_modules

#: calls whose first argument mypyc compiles as a loop or a list it consumes at once
SPECIALISED_CALLS = frozenset(
    {"any", "all", "sum", "next", "list", "tuple", "set", "frozenset", "dict"}
    | {"min", "max", "sorted"}
)
#: methods the same (`str.join`, `list.extend`, `dict.update`, `set.update`)
SPECIALISED_METHODS = frozenset({"join", "extend", "update"})


def _consumed_at_once(call: ast.Call) -> ast.expr | None:
    """The generator expression a specialised call consumes, if it passes one first."""
    if not call.args or not isinstance(call.args[0], ast.GeneratorExp):
        return None
    func = call.func
    if isinstance(func, ast.Name) and func.id in SPECIALISED_CALLS:
        return call.args[0]
    if isinstance(func, ast.Attribute) and func.attr in SPECIALISED_METHODS:
        return call.args[0]
    return None


def listed_generator_expressions(source: str) -> list[int]:
    """The lines of generator expressions mypyc would build as a whole list."""
    tree = ast.parse(source)
    consumed = {
        id(generator)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and (generator := _consumed_at_once(node)) is not None
    }
    return sorted(
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.GeneratorExp) and id(node) not in consumed
    )


def test_the_check_finds_generator_expressions_built_as_lists() -> None:
    source = (
        "def values(table):\n"
        "    return (record for _, record in table.entries())\n"
        "def merged(live, order):\n"
        "    return merge(((s, k, live[k]) for s, k in order), other)\n"
        "def fine(rows, names):\n"
        "    total = sum(row.cents for row in rows)\n"
        "    return any(r for r in rows), ', '.join(n for n in names), sorted(r for r in rows)\n"
        "def streamed(table):\n"
        "    for _, record in table.entries():\n"
        "        yield record\n"
    )
    assert listed_generator_expressions(source) == [2, 4]


def test_no_compiled_module_builds_a_generator_expression_as_a_list() -> None:
    found = lines_in_compiled_modules(listed_generator_expressions)
    assert found == {}, (
        "write a generator function (for ...: yield ...) or a list comprehension; "
        f"compiled, these are built as whole lists: {found}"
    )
