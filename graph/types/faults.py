"""The fault kinds of `simulators.faults` (the one table of them) as a GraphQL enum, in
one place: `faultInject` takes one and a `Fault` shows one. Import `FaultKind` from
here, so the enum is registered with strawberry wherever it is used."""

from __future__ import annotations

import strawberry

from simulators.faults import KINDS, FaultKind

__all__ = ["FaultKind"]

strawberry.enum(
    FaultKind,
    name="FaultKind",
    description="What goes wrong, and what `rate` means for it: "
    + "; ".join(f"{kind.name}: {info.summary}" for kind, info in KINDS.items())
    + ".",
)
