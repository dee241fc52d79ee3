"""`@frozen_row`: the read model's frozen, slotted row dataclasses, made without compiling
source for each of their methods.

Python's `dataclasses` (3.11) writes each generated method (`__init__`, `__repr__`,
`__eq__`, `__hash__`, and for a frozen class `__setattr__` and `__delattr__`) as source
and compiles it, six parses and compiles a class; `direct_init` then compiles a seventh
`__init__` in place of the first. For the read model's rows that is what `run --out`'s
writer paid to import them: 146M instructions for the 25 record classes (callgrind,
compiled, steady-day at 0.25), about 9 % of what `--out` adds there, and a plain run
never imports them (issue 18 item 4). So `frozen_row` asks `dataclasses` for the fields,
slots, `__match_args__` and nothing it would compile, gives the class its constructor
through `hub.frozen.direct_init` (one compile), and sets the other methods from shared
code that reads the class's field names: the same methods as the frozen dataclass's,
value for value (the same tuples compared and hashed, the same text, the same errors,
the same pickled state; `tests/unit/hub/test_read_model_record_class.py` holds each
against `@dataclass(frozen=True, slots=True)`). The class is still a dataclass
(`dataclasses.fields` reads it, as `store._row` and `run_file` do). Type checkers see a
frozen dataclass (`dataclass_transform`).

The module stays interpreted (it is in no compiled list): the methods it sets must be
Python functions, which bind to an instance as methods, and they run as the dataclass's
generated ones do, interpreted.
"""

from __future__ import annotations

import inspect
from dataclasses import FrozenInstanceError, dataclass, fields
from operator import attrgetter
from reprlib import recursive_repr
from typing import Any, TypeVar, cast, dataclass_transform

from hub.frozen import direct_init

Cls = TypeVar("Cls", bound=type)

#: the class attribute holding a record's field values as one tuple (`attrgetter`)
_VALUES = "__record_values__"


@dataclass_transform(frozen_default=True)
def frozen_row(cls: Cls) -> Cls:
    """`cls` as `@direct_init @dataclass(frozen=True, slots=True)` makes it, but for
    compiling its methods' source. An undocumented record's docstring names its
    fields (the dataclass's, worked out by `inspect.signature`, gives their types too)."""
    if not cls.__doc__:
        cls.__doc__ = f"{cls.__name__}({', '.join(inspect.get_annotations(cls))})"
    made = cast(Cls, dataclass(slots=True, init=False, repr=False, eq=False)(cls))
    names = tuple(field.name for field in fields(made))
    setattr(made, _VALUES, staticmethod(_values_of(names)))
    for name, method in _METHODS.items():
        setattr(made, name, method)
    return direct_init(made)


def _values_of(names: tuple[str, ...]) -> Any:
    """A function of a record giving its fields' values as a tuple, in field order, as
    the dataclass's `__eq__` and `__hash__` build it (a tuple for one field, or none)."""
    if len(names) > 1:
        return attrgetter(*names)
    if names:
        one = attrgetter(names[0])
        return lambda self: (one(self),)
    return lambda self: ()


def _eq(self: Any, other: object) -> Any:
    if other.__class__ is self.__class__:
        values = getattr(self, _VALUES)
        return values(self) == values(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(getattr(self, _VALUES)(self))


@recursive_repr()
def _repr(self: Any) -> str:
    shown = ", ".join(
        f"{field.name}={getattr(self, field.name)!r}" for field in fields(self) if field.repr
    )
    return f"{self.__class__.__qualname__}({shown})"


def _is_own_field(self: Any, name: str) -> bool:
    """Whether the dataclass's frozen `__setattr__` refuses `name` on `self`: always on
    the record class itself, a field's name on a subclass."""
    return name in (field.name for field in fields(self)) or _is_record_class(type(self))


def _is_record_class(kind: type) -> bool:
    return "__setattr__" in kind.__dict__ and kind.__dict__["__setattr__"] is _setattr


def _setattr(self: Any, name: str, value: object) -> None:
    if _is_own_field(self, name):
        raise FrozenInstanceError(f"cannot assign to field {name!r}")
    object.__setattr__(self, name, value)


def _delattr(self: Any, name: str) -> None:
    if _is_own_field(self, name):
        raise FrozenInstanceError(f"cannot delete field {name!r}")
    object.__delattr__(self, name)


def _getstate(self: Any) -> list[object]:
    return [getattr(self, field.name) for field in fields(self)]


def _setstate(self: Any, state: list[object]) -> None:
    for field, value in zip(fields(self), state, strict=False):
        object.__setattr__(self, field.name, value)


#: what `frozen_row` sets on each class, in place of the dataclass's generated methods
_METHODS = {
    "__eq__": _eq,
    "__hash__": _hash,
    "__repr__": _repr,
    "__setattr__": _setattr,
    "__delattr__": _delattr,
    "__getstate__": _getstate,
    "__setstate__": _setstate,
}
