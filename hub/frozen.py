"""A cheaper constructor for the frozen dataclasses the hub builds on every input.

A frozen dataclass forbids assignment by overriding `__setattr__`, so its generated
`__init__` cannot assign either: it calls `object.__setattr__(self, name, value)` for
every field, a lookup and a call each, and costs about four times what the same class
unfrozen does. The hub builds one journal entry per input, a result per answer and a
canonical event per message, millions a day, so that shows in `make bench`.

`direct_init` replaces that `__init__` with one that sets each field through its slot's
own descriptor (`Class.field.__set__`, which is what `object.__setattr__` ends up
calling), looked up once when the class is made instead of on every call. The class
stays exactly as frozen (assignment still raises), with the same fields, order,
defaults, equality and hash; only the constructor is faster. It refuses any class it
cannot build that way (no slots, a default factory, a field outside `__init__` or
keyword-only, a `__post_init__`), so a class it accepts is built the same either way.
"""

from __future__ import annotations

from dataclasses import MISSING, fields, is_dataclass
from typing import Any, TypeVar

Cls = TypeVar("Cls", bound=type)


def direct_init(cls: Cls) -> Cls:
    """Give a frozen, slotted dataclass an `__init__` that sets its slots directly."""
    if not is_dataclass(cls) or "__slots__" not in cls.__dict__:
        raise TypeError(f"{cls.__name__}: a slotted dataclass only")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__}: has a __post_init__")
    namespace: dict[str, Any] = {}
    parameters: list[str] = []
    body: list[str] = []
    for field in fields(cls):
        if not field.init or field.kw_only or field.default_factory is not MISSING:
            raise TypeError(f"{cls.__name__}.{field.name}: a plain field only")
        name = field.name
        namespace[f"_set_{name}"] = cls.__dict__[name].__set__
        if field.default is MISSING:
            parameters.append(name)
        else:
            namespace[f"_default_{name}"] = field.default
            parameters.append(f"{name}=_default_{name}")
        body.append(f"    _set_{name}(self, {name})\n")
    source = f"def __init__(self, {', '.join(parameters)}):\n{''.join(body) or '    pass'}"
    exec(source, namespace)
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__doc__ = cls.__init__.__doc__
    cls.__init__ = init  # type: ignore[method-assign]
    return cls
