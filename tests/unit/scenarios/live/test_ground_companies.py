"""Company accounts and their orders' payment terms in the read model, projected from
the built-in hub (scenarios/twin/projection/companies.py) and from the systems' records
alone (scenarios/live/ground_companies.py), as `serve --hub` shows a hub it cannot read.

A small day with a B2B portal whose invoices fall due on receipt ends with every
remittance booked by the built-in hub, so the portal's and the ERP's records must tell
the hub's story: each company owing the same, each order invoiced and paid the same."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from test_ground_projection import in_read_model, projected_out_of_reach

from hub.adapters.read_model import ReadModel, Window
from hub.adapters.read_model.sorting import CompanySort, Sort
from scenarios.experiments.defect_controls import B2B_DAY
from scenarios.spec.loader import load_scenario
from scenarios.twin.projection.projector import Projector
from scenarios.twin.runtime import run


def test_the_companies_from_the_systems_are_the_hubs(tmp_path: Path) -> None:
    result = run(load_scenario("steady-day", B2B_DAY))
    portal = result.estate.b2b
    assert portal is not None

    async def read(read_model: ReadModel, ground: bool) -> tuple[Any, ...]:
        if ground:
            await projected_out_of_reach(result, read_model)
        else:
            projector = Projector(result, read_model, None)
            await projector.write_master_data()
            await projector.project()
        page = await read_model.companies_page(Window(100), Sort(CompanySort.ID))
        terms = await read_model.order_terms_by_order([*portal.orders, "W-0000001"])
        return page, terms

    (tmp_path / "hub").mkdir()
    (tmp_path / "ground").mkdir()
    hub_page, hub_terms = in_read_model(tmp_path / "hub", lambda rm: read(rm, False))
    page, terms = in_read_model(tmp_path / "ground", lambda rm: read(rm, True))
    assert [c.id for c in page.items] == sorted(portal.companies)
    assert [(c.id, c.open_cents, c.paid_cents, c.orders_count) for c in page.items] == [
        (c.id, c.open_cents, c.paid_cents, c.orders_count) for c in hub_page.items
    ]
    owed = -result.estate.erp.journal.balance("1220-trade-receivables")
    assert sum(c.open_cents for c in page.items) == owed > 0
    assert "W-0000001" not in terms and set(terms) == set(portal.orders)
    for ref, record in terms.items():
        own = hub_terms[ref]
        assert (record.po_number, record.invoiced_cents, record.paid_cents) == (
            own.po_number,
            own.invoiced_cents,
            own.paid_cents,
        ), ref
        assert record.company_id == portal.orders[ref].company_id
        if record.invoiced_at >= 0:
            assert record.due_at == record.invoiced_at  # NET 0: due on receipt
