"""Each backend's operations are one concept: the simulator's `OPERATIONS` tuple is what
its `handle` dispatches, and the contract documents exactly that set.

An operation added to a simulator (a new `_operation(body)` method, a new entry in the
gateway's table, a new ERP write) without its schema fails here, and so does a schema
left behind for an operation a simulator no longer has.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path
from types import ModuleType

import pytest
from backend_bench import Bench

from simulators import erp, fraud, marketplace, payment, pos, tax, wms
from simulators.contract import SYSTEMS, known
from simulators.contract.credentials import GUARDABLE, TOKEN_OPERATIONS

MODULES: dict[str, ModuleType] = {
    "erp": erp,
    "wms": wms,
    "pos": pos,
    "payment": payment,
    "marketplace": marketplace,
    "tax": tax,
    "fraud": fraud,
}
#: what an operation method looks like in the simulators that dispatch by name
_ANSWER = "tuple[int, dict[str, Any]]"


def _source(cls: type) -> ast.ClassDef:
    """The class as written in its module's `.py`: read from the source, not the class,
    since a compiled module's functions (`make compile`) carry no signature to read."""
    module = sys.modules[cls.__module__]
    path = Path(module.__file__ or "").parent / f"{cls.__module__.rsplit('.', 1)[-1]}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    [found] = [
        node for node in tree.body if isinstance(node, ast.ClassDef) and node.name == cls.__name__
    ]
    return found


def _operation_methods(cls: type) -> set[str]:
    """The `_name(self, body) -> (status, answer)` methods of a simulator class."""
    found = set()
    for node in _source(cls).body:
        if not isinstance(node, ast.FunctionDef):
            continue
        name, args = node.name, node.args
        if not (name.startswith("_") and not name.startswith("__")):
            continue
        parameters = [arg.arg for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs)]
        if args.vararg or args.kwarg:
            continue
        returns = ast.unparse(node.returns) if node.returns is not None else None
        if parameters == ["self", "body"] and returns == _ANSWER:
            found.add(name[1:])
    return found


def test_the_contract_has_exactly_the_backends_that_have_operations() -> None:
    assert set(SYSTEMS) == set(MODULES)


@pytest.mark.parametrize("system", sorted(MODULES))
def test_the_contract_documents_exactly_the_simulators_operations(system: str) -> None:
    operations = MODULES[system].OPERATIONS
    assert len(set(operations)) == len(operations), "an operation listed twice"
    # a guardable backend's token endpoint is its token authority's, not its own
    token_operations = set(TOKEN_OPERATIONS) if system in GUARDABLE else set()
    assert set(SYSTEMS[system].operations) == set(operations) | token_operations
    assert all(known(system, operation) for operation in operations)


def test_the_wms_and_the_stores_dispatch_exactly_their_operations() -> None:
    assert _operation_methods(wms.Wms) == set(wms.OPERATIONS)
    assert _operation_methods(pos.Pos) == set(pos.OPERATIONS)


def _unknown_to(bench: Bench, system: str, operation: str) -> bool:
    """Whether the simulator answers `operation` as one it does not have."""
    answers: list[tuple[int, dict[str, str]]] = []
    bench.backend(system).handle(operation, {}, lambda *answer: answers.append(answer[:2]))
    bench.env.run(until=bench.env.now + 60.0)
    [(status, body)] = answers
    return status == 404 and body["error"].startswith("unknown operation")


def test_the_erp_dispatches_exactly_its_operations() -> None:
    assert _operation_methods(erp.Erp) == set(erp.WRITE_OPERATIONS)
    assert set(erp.OPERATIONS) == set(erp.READ_OPERATIONS) | erp.WRITE_OPERATIONS
    bench = Bench()
    assert not any(_unknown_to(bench, "erp", operation) for operation in erp.OPERATIONS)
    assert _unknown_to(bench, "erp", "shred_documents")


def test_the_gateway_and_the_marketplace_dispatch_exactly_their_operations() -> None:
    bench = Bench()
    assert set(bench.payment._operations) == set(payment.OPERATIONS)
    assert _unknown_to(bench, "payment", "refund_everyone")
    assert not _unknown_to(bench, "marketplace", "acknowledge")
    assert _unknown_to(bench, "marketplace", "refund_buyer")
