"""The dataclasses that write their own `__init__` (compiled, a generated one runs
interpreted: see hub/model/order.py `OrderLine`) keep it to their fields: the same
names, in the same order, with the same defaults. A field added to the class and not
to its `__init__` fails here rather than as a record built without it."""

from __future__ import annotations

import dataclasses
import inspect

import pytest

from hub.model.inventory import InventoryPosition
from hub.model.ledger import JournalLine
from hub.model.order import Order, OrderLine
from hub.model.returns import Return, ReturnStatusChange
from hub.resilience.lanes import Call
from hub.resilience.results import Ok
from scenarios.twin.hub_archive import Archived
from simulators.channel import ChannelOrder
from simulators.compact import Numbers
from simulators.erp_books import ErpDocument
from simulators.payment import Authorization, MoneyMovement
from simulators.release import Release
from simulators.sync_lag import _InFlight

HAND_WRITTEN = (
    OrderLine,
    Call,
    ErpDocument,
    Authorization,
    _InFlight,
    Order,
    Return,
    ReturnStatusChange,
    InventoryPosition,
    Release,
    ChannelOrder,
    Numbers,
    Archived,
    MoneyMovement,
    Ok,
    JournalLine,
)


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
            # a new one each, unless the factory itself hands out one shared value
            # (`ChannelOrder.terms`: one read-only empty mapping)
            if field.default_factory() is not field.default_factory():
                assert getattr(first, field.name) is not getattr(second, field.name)
            else:
                assert getattr(first, field.name) is field.default_factory()


@pytest.mark.parametrize(
    "kind",
    [kind for kind in HAND_WRITTEN if kind.__dataclass_params__.frozen],  # type: ignore[attr-defined]
    ids=lambda kind: kind.__name__,
)
def test_a_frozen_record_with_its_own_init_still_refuses_a_change(kind: type) -> None:
    made = kind(**_required(kind))
    name = dataclasses.fields(kind)[0].name
    with pytest.raises(dataclasses.FrozenInstanceError):
        setattr(made, name, object())
