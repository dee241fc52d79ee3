"""The dataclasses that write their own `__init__` (compiled, a generated one runs
interpreted: see hub/model/order.py `OrderLine`) keep it to their fields: the same
names, in the same order, with the same defaults. A field added to the class and not
to its `__init__` fails here rather than as a record built without it."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from hub.model.order import OrderLine
from hub.resilience.lanes import Call
from simulators.erp_books import ErpDocument
from simulators.payment import Authorization
from simulators.sync_lag import _InFlight

HAND_WRITTEN = (OrderLine, Call, ErpDocument, Authorization, _InFlight)


def _parameter_default(field: dataclasses.Field[object]) -> object:
    """What the hand-written parameter defaults to: the field's default, or None for a
    field made by a factory (the `__init__` calls it: see the last test)."""
    if field.default is not dataclasses.MISSING:
        return field.default
    if field.default_factory is not dataclasses.MISSING:
        return None
    return inspect.Parameter.empty


def _required(kind: type) -> dict[str, object]:
    return {
        field.name: object()
        for field in dataclasses.fields(kind)
        if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
    }


@pytest.mark.parametrize("kind", HAND_WRITTEN, ids=lambda kind: kind.__name__)
def test_a_hand_written_init_takes_every_field_in_order_with_its_default(kind: type) -> None:
    assert "__init__" in vars(kind), f"{kind.__name__} no longer writes its own __init__"
    parameters = list(inspect.signature(vars(kind)["__init__"]).parameters.values())[1:]
    fields = dataclasses.fields(kind)
    assert [p.name for p in parameters] == [f.name for f in fields]
    assert [p.default for p in parameters] == [_parameter_default(f) for f in fields]


@pytest.mark.parametrize("kind", HAND_WRITTEN, ids=lambda kind: kind.__name__)
def test_a_hand_written_init_sets_every_field_it_is_given(kind: type) -> None:
    fields = dataclasses.fields(kind)
    values = {field.name: object() for field in fields}
    made = kind(**values)
    assert all(getattr(made, name) is value for name, value in values.items())


@pytest.mark.parametrize("kind", HAND_WRITTEN, ids=lambda kind: kind.__name__)
def test_a_field_left_out_takes_its_default_or_a_new_one_from_its_factory(kind: type) -> None:
    first, second = kind(**_required(kind)), kind(**_required(kind))
    for field in dataclasses.fields(kind):
        if field.default is not dataclasses.MISSING:
            assert getattr(first, field.name) == field.default
        elif field.default_factory is not dataclasses.MISSING:
            assert getattr(first, field.name) == field.default_factory()
            assert getattr(first, field.name) is not getattr(second, field.name)
