"""An answer as the contract writes it, for where it leaves the simulation.

In process the stock exports are compact (the ERP's by plant, simulators/erp_stock.py;
a location's by column, simulators/stock_table.py); the twin's HTTP face to an external
hub and the contract's own checks see every answer as the contract's rows."""

from __future__ import annotations

from typing import Any

from simulators import erp_stock, stock_table


def as_wire(body: dict[str, Any]) -> dict[str, Any]:
    """`body` with any stock export in it written as rows; any other answer as it is."""
    return stock_table.as_wire(erp_stock.as_wire(body))
