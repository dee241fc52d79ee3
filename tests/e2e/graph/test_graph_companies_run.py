"""Company accounts and their orders on account through the API over a finished run's
read model, as `retailtwin run --out DIR` writes it and `serve --db DIR` serves it: the
small B2B day of the defect control (a second to run), whose remittances the hub has
all applied by the end. What the API shows is held to the companies' own books and the
hub's orders: each company's open receivable, each order's PO number and terms."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from graph_support import cents, gid, gql, gql_data, graph_app
from starlette.testclient import TestClient
from test_graph_order_holds_run import finished
from test_graph_screens import _screens

from scenarios.experiments.defect_controls import B2B_DAY
from scenarios.twin.run_result import RunResult

#: the B2B screen of docs/api.md: the companies with what they owe, and their orders
COMPANIES = """query($first: Int, $after: String, $last: Int, $before: String) {
  companies(first: $first, after: $after, last: $last, before: $before) {
    totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    nodes { id legacyResourceId name contactEmail ordersCount
      paymentTerms { name paymentTermsType dueInDays }
      contractDiscountPercent negotiatedPriceCount
      totalInvoiced { amount } totalPaid { amount }
      openReceivable { amount } overdueReceivable { amount } } } }"""

ORDER = """query($id: ID!) { order(id: $id) { legacyResourceId channel paymentState poNumber
  purchasingCompany { legacyResourceId name }
  paymentTerms { paymentTermsName paymentTermsType dueInDays invoicedAt dueAt overdue
    invoiced { amount } paid { amount } outstanding { amount } } } }"""


@pytest.fixture(scope="module")
def b2b_day() -> Iterator[tuple[RunResult, TestClient]]:
    result, db = finished("steady-day", B2B_DAY)
    with TestClient(graph_app(db=db)) as served:
        yield result, served


def test_the_companies_owe_what_their_books_say_paged_either_way(
    b2b_day: tuple[RunResult, TestClient],
) -> None:
    result, client = b2b_day
    portal = result.estate.b2b
    assert portal is not None
    every = gql_data(client, COMPANIES, first=50)["companies"]
    names = [node["name"] for node in every["nodes"]]
    assert every["totalCount"] == len(portal.companies) and names == sorted(names)
    owed = -result.estate.erp.journal.balance("1220-trade-receivables")
    assert sum(cents(node["openReceivable"]) for node in every["nodes"]) == owed > 0
    for node in every["nodes"]:
        company = portal.companies[node["legacyResourceId"]]
        assert node["paymentTerms"] == {
            "name": "Due on receipt",
            "paymentTermsType": "RECEIPT",
            "dueInDays": None,
        }
        assert node["negotiatedPriceCount"] == len(company.contract_prices)
        assert cents(node["totalInvoiced"]) - cents(node["totalPaid"]) == cents(
            node["openReceivable"]
        )
    first = gql_data(client, COMPANIES, first=2)["companies"]
    back = gql_data(client, COMPANIES, last=2, before=first["pageInfo"]["endCursor"])["companies"]
    assert [n["id"] for n in back["nodes"]] == [n["id"] for n in first["nodes"]][:1]
    one = every["nodes"][0]
    found = gql(client, "query($id: ID!) { company(id: $id) { name } }", {"id": one["id"]})
    assert found["data"]["company"]["name"] == one["name"]


def test_the_companies_screen_shows_them_and_their_orders(
    b2b_day: tuple[RunResult, TestClient],
) -> None:
    result, client = b2b_day
    data = gql_data(client, _screens()["Companies"], first=3)
    assert len(data["companies"]["nodes"]) == min(3, len(result.estate.b2b.companies))  # type: ignore[union-attr]
    orders = data["orders"]["nodes"]
    assert orders and all(o["poNumber"] and o["purchasingCompany"] for o in orders)


def test_a_company_order_shows_its_po_terms_and_company(
    b2b_day: tuple[RunResult, TestClient],
) -> None:
    result, client = b2b_day
    portal = result.estate.b2b
    assert portal is not None
    hub = result.estate.hub
    paid = hub.receivables.applied
    ref = next(r for r in portal.orders if paid.get(r))
    order = gql_data(client, ORDER, id=gid("Order", ref))["order"]
    assert (order["channel"], order["paymentState"]) == ("B2B", "ON_ACCOUNT")
    assert order["poNumber"] == portal.orders[ref].po_number
    assert order["purchasingCompany"]["legacyResourceId"] == portal.orders[ref].company_id
    terms = order["paymentTerms"]
    assert terms["paymentTermsType"] == "RECEIPT" and terms["dueAt"] == terms["invoicedAt"]
    assert cents(terms["invoiced"]) == hub.ctx.orders[ref].captured_cents
    assert cents(terms["paid"]) == paid[ref]
    assert cents(terms["outstanding"]) == cents(terms["invoiced"]) - paid[ref]
    assert terms["overdue"] == (cents(terms["outstanding"]) > 0)
    web = next(r for r in result.estate.storefront.orders if r.startswith("W-"))
    plain = gql_data(client, ORDER, id=gid("Order", web))["order"]
    assert plain["poNumber"] is None and plain["paymentTerms"] is None
    assert plain["purchasingCompany"] is None
