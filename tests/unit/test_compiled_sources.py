"""The compiled build's sources avoid what mypyc 2.4.1 compiles wrongly.

mypyc compiles `super().__init__(*args, **kwargs)` into a call that hands the whole
`args` tuple to each of the base's parameters (reproduced in 15 lines in an earlier
round; it showed as a channel's `_env` read as a tuple). The sources run right and the
compiled build silently wrong, so only a compiled run's digests would notice, and only
where a scenario reaches that class. This test reads every module `make compile` builds
and refuses a call on `super()` that forwards `*args` or `**kwargs`: name the base's
parameters instead, as `Storefront.__init__(env, send)` does."""

from __future__ import annotations

import ast

from script_support import lines_in_compiled_modules


def forwarding_super_calls(source: str) -> list[int]:
    """The lines of calls on `super()` that pass on `*args` or `**kwargs`."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        on_super = (
            isinstance(owner, ast.Call)
            and isinstance(owner.func, ast.Name)
            and owner.func.id == "super"
        )
        forwards = any(isinstance(arg, ast.Starred) for arg in node.args) or any(
            keyword.arg is None for keyword in node.keywords
        )
        if on_super and forwards:
            lines.append(node.lineno)
    return lines


def test_the_check_finds_a_forwarding_super_call() -> None:
    source = (
        "class A(B):\n"
        "    def __init__(self, *args, **kwargs):\n"
        "        super().__init__(*args, **kwargs)\n"
        "    def close(self, **options):\n"
        "        super().close(**options)\n"
        "    def named(self, env, send):\n"
        "        super().__init__(env, send)\n"
    )
    assert forwarding_super_calls(source) == [3, 5]


def test_no_compiled_module_forwards_arguments_through_super() -> None:
    found = lines_in_compiled_modules(forwarding_super_calls)
    assert found == {}, f"name the base's parameters (mypyc 2.4.1 miscompiles these): {found}"
