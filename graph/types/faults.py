"""The fault kinds of `simulators.faults` (the one table of them) as a GraphQL enum, in
one place: `faultInject` takes one and a `Fault` shows one. Import `FaultKind` from
here, so the enum is registered with strawberry wherever it is used.

The enum is the simulators' own, so its members cannot carry `strawberry.enum_value`;
each GraphQL value is described after registration from the same table, so a kind added
there is described here without an edit."""

from __future__ import annotations

import strawberry
from strawberry.types.enum import StrawberryEnumDefinition

from simulators.faults import KINDS, FaultKind, RateRule

__all__ = ["FaultKind"]

strawberry.enum(
    FaultKind,
    name="FaultKind",
    description="What goes wrong in a fault, and what its `rate` means (each value says).",
)


def _describe(definition: StrawberryEnumDefinition) -> None:
    for value in definition.values:
        info = KINDS[FaultKind(value.value)]
        rate = "no `rate`" if info.rate is RateRule.UNUSED else f"`rate`: {info.rate.value}"
        value.description = f"{info.summary[:1].upper()}{info.summary[1:]} ({rate})."


_describe(FaultKind.__strawberry_definition__)  # type: ignore[attr-defined]
