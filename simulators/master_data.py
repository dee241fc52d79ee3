"""What a backend's master data knows: the materials (SKUs) and the plants (DCs,
stores, drop-ship partners' shelves) it holds a stock ledger for.

Why a backend checks a request against it: a real WMS takes an order or a return only
for an item in its item master, and SAP refuses a document whose material or plant is
not maintained (`Material X not maintained in plant Y`, `Plant Y does not exist`). The
simulators booked such a document as it came: the ERP opened a stock ledger for a plant
no one has, and the WMS put a returned item no one sells on a shelf. So the request is
refused with 400 naming the value, before anything is booked.

Why read off the opening stock: every SKU of the world has a position at every DC (at 0
where a drop-ship partner alone holds it) and every store ranges some, so the keys of
the opening stock are the whole material and plant master; nothing is added during a
run (a new SKU or location is a new world).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

__all__ = ["MasterData"]


class MasterData:
    """The materials and plants of a stock ledger, and the refusal of a request naming
    another."""

    __slots__ = ("material", "materials", "plants", "system")

    def __init__(
        self, system: str, stock: Iterable[tuple[str, str]], material: str = "material"
    ) -> None:
        self.system = system
        #: what the system calls a SKU in its refusals (a WMS: an item)
        self.material = material
        keys = list(stock)
        self.materials = frozenset(sku for sku, _ in keys)
        self.plants = frozenset(place for _, place in keys)

    def unknown(self, body: Mapping[str, Any], lines: str, material: str) -> str | None:
        """Why `body` names what this master does not know (None: it names nothing
        unknown): its `Plant`, each of its `lines`' `material`, and a line's own
        `Plant`, each by field and value, as the contract's validators name a field."""
        if "Plant" in body and body["Plant"] not in self.plants:
            return self._not_known("Plant", body["Plant"], "plant")
        for index, line in enumerate(body.get(lines, ())):
            where = f"{lines}[{index}]"
            if line[material] not in self.materials:
                return self._not_known(f"{where}.{material}", line[material], self.material)
            if "Plant" in line and line["Plant"] not in self.plants:
                return self._not_known(f"{where}.Plant", line["Plant"], "plant")
        return None

    def _not_known(self, where: str, value: object, kind: str) -> str:
        article = "an" if kind[0] in "aeiou" else "a"
        return f"bad request: {where}: {value!r} is not {article} {kind} the {self.system} knows"
