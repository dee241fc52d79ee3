"""hub/adapters/read_model/record_class.py: a `@frozen_row` class is the value
`@direct_init @dataclass(frozen=True, slots=True)` makes, method for method: built,
compared, hashed, shown, refused assignment and pickled the same, and still a dataclass
with the same fields, slots and match arguments."""

from __future__ import annotations

import copy
import dataclasses
import pickle
from dataclasses import dataclass
from typing import Any

import pytest

from hub.adapters.read_model.company_records import CompanyAccount
from hub.adapters.read_model.payout_records import PayoutRecord
from hub.adapters.read_model.record_class import frozen_row
from hub.adapters.read_model.records import OrderRecord, StatusChangeRecord, TimelineRecord
from hub.frozen import direct_init


@direct_init
@dataclass(frozen=True, slots=True)
class Dataclass:
    name: str
    quantity: int
    at: float = -1.0
    tags: tuple[str, ...] = ()


@frozen_row
class Row:
    name: str
    quantity: int
    at: float = -1.0
    tags: tuple[str, ...] = ()


@frozen_row
class One:
    name: str


@dataclass(frozen=True, slots=True)
class OneDataclass:
    name: str


@frozen_row
class Nested:
    inner: Any


@dataclass(frozen=True, slots=True)
class NestedDataclass:
    inner: Any


VALUES = [("a", 1), ("a", 1, 2.5), ("b", 0, 0.0, ("x", "y")), ("a", 2)]


def _shown(made: object) -> str:
    return repr(made).replace("Dataclass", "Row")


@pytest.mark.parametrize("values", VALUES)
def test_built_compared_hashed_and_shown_as_the_dataclass(values: tuple[Any, ...]) -> None:
    row, plain = Row(*values), Dataclass(*values)
    assert dataclasses.astuple(row) == dataclasses.astuple(plain)
    assert repr(row) == _shown(plain)
    assert hash(row) == hash(plain)
    for other in VALUES:
        assert (row == Row(*other)) == (plain == Dataclass(*other))
        assert (row != Row(*other)) == (plain != Dataclass(*other))
    assert row != plain and plain != row  # another class: never equal
    assert row.__eq__(values) is NotImplemented


def test_one_field_hashes_and_compares_its_tuple_as_the_dataclass() -> None:
    assert hash(One("a")) == hash(OneDataclass("a")) == hash(("a",))
    assert One("a") == One("a") and One("a") != One("b")
    assert repr(One("a")) == "One(name='a')"


def test_a_record_that_holds_itself_is_shown_as_the_dataclass_shows_it() -> None:
    row = Nested([])
    row.inner.append(row)
    plain = NestedDataclass([])
    plain.inner.append(plain)
    assert repr(row) == repr(plain).replace("NestedDataclass", "Nested") == "Nested(inner=[...])"


def test_frozen_as_the_dataclass_with_the_same_errors() -> None:
    row, plain = Row("a", 1), Dataclass("a", 1)
    for target in (row, plain):
        with pytest.raises(dataclasses.FrozenInstanceError, match="cannot assign to field 'name'"):
            target.name = "b"  # type: ignore[misc]
        # no other name either (the dataclass's slotted copy fails its own check there)
        with pytest.raises((AttributeError, TypeError)):
            target.other = 1  # type: ignore[attr-defined]
        with pytest.raises(dataclasses.FrozenInstanceError, match="cannot delete field 'name'"):
            del target.name  # type: ignore[misc]
    assert row.name == "a"


def test_a_missing_or_extra_argument_is_refused_as_by_the_dataclass() -> None:
    with pytest.raises(TypeError):
        Row("a")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Row("a", 1, 2.0, (), 5)  # type: ignore[call-arg]
    assert Row("a", quantity=3, tags=("t",)) == Row("a", 3, -1.0, ("t",))


def test_pickled_and_copied_with_the_dataclass_state() -> None:
    row = Row("a", 1, 2.5, ("x",))
    assert pickle.loads(pickle.dumps(row)) == row
    assert row.__getstate__() == Dataclass("a", 1, 2.5, ("x",)).__getstate__()  # type: ignore[attr-defined]
    assert copy.copy(row) == row and copy.deepcopy(row) == row


def test_still_a_slotted_dataclass_with_its_fields_and_match_arguments() -> None:
    assert dataclasses.is_dataclass(Row)
    assert [f.name for f in dataclasses.fields(Row)] == ["name", "quantity", "at", "tags"]
    assert Row.__slots__ == Dataclass.__slots__
    assert Row.__match_args__ == Dataclass.__match_args__
    assert not hasattr(Row("a", 1), "__dict__")
    assert dataclasses.replace(Row("a", 1), quantity=4) == Row("a", 4)
    assert Row.__init__.__qualname__ == "Row.__init__"
    assert Row.__doc__ == "Row(name, quantity, at, tags)"


def test_the_read_models_records_are_made_so() -> None:
    """The records `run --out`'s writer imports: each equal, hashable and frozen."""
    for kind in (OrderRecord, StatusChangeRecord, TimelineRecord, CompanyAccount, PayoutRecord):
        assert dataclasses.is_dataclass(kind)
        assert kind.__dict__["__setattr__"].__module__ == "hub.adapters.read_model.record_class"
    change = StatusChangeRecord("o-1", 1, "placed", 2.0, "hub")
    assert change == StatusChangeRecord("o-1", 1, "placed", 2.0, "hub")
    assert {change, StatusChangeRecord("o-1", 1, "placed", 2.0, "hub")} == {change}
    with pytest.raises(dataclasses.FrozenInstanceError):
        change.seq = 2  # type: ignore[misc]
