"""`strawberry.enum_value`, typed as the word it wraps.

A member declared `RECEIVED = strawberry.enum_value("received", description=...)` holds
an `EnumValueDefinition` only until `@strawberry.enum` processes the class, which puts
the bare word back as the member's value; mypy, seeing the declaration, would type
every `OrderStatus.RECEIVED.value` as the definition. Declaring members through
`enum_value` here keeps `.value` a `str` to the type checker, as it is at run time.
"""

from __future__ import annotations

from typing import cast

import strawberry


def enum_value(value: str, description: str, *, deprecation_reason: str | None = None) -> str:
    """A described (and perhaps deprecated) enum member whose value is `value`."""
    definition = strawberry.enum_value(
        value, description=description, deprecation_reason=deprecation_reason
    )
    return cast(str, definition)  # a str once @strawberry.enum has processed the class
