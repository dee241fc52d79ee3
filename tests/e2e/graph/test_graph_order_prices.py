"""An order line's prices through the API over a day whose prices move: the list price
it was cut from, the price charged, the discount and the promotion, each what the
channel recorded when it sold the line (promotion-launch at a tenth of its scale)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from graph_support import cents, gql, graph_app, served_run
from starlette.testclient import TestClient

from scenarios.twin.run_result import RunResult
from simulators.channel import SalesChannel

OVERRIDES = ("scenario.scale=0.1",)

LINES = """query($after: String) { orders(first: 100, after: $after) {
  pageInfo { hasNextPage endCursor }
  nodes { legacyResourceId totalDiscounts { amount }
    lines { skuId quantity promotion originalUnitPrice { amount }
      discountedUnitPrice { amount } totalDiscount { amount } } } } }"""


def promotion_run() -> tuple[RunResult, Path]:
    return served_run("promotion-launch", OVERRIDES)


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(graph_app(db=promotion_run()[1] / "read_model.sqlite")) as served:
        yield served


def every_order(client: TestClient) -> Iterator[dict[str, Any]]:
    after = None
    while True:
        page = gql(client, LINES, {"after": after})["data"]["orders"]
        yield from page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            return
        after = page["pageInfo"]["endCursor"]


def test_each_line_shows_the_price_it_was_cut_from_and_the_promotion(
    client: TestClient,
) -> None:
    result, _ = promotion_run()
    placed = {**result.estate.storefront.orders, **result.estate.marketplace.orders}
    promoted = 0
    for order in every_order(client):
        sold = placed[order["legacyResourceId"]]
        total = 0
        for line in order["lines"]:
            charged = cents(line["discountedUnitPrice"])
            list_price, promotion = SalesChannel.line_terms(sold, line["skuId"], charged)
            assert cents(line["originalUnitPrice"]) == list_price
            assert (line["promotion"] or "") == promotion
            discount = (list_price - charged) * line["quantity"]
            assert cents(line["totalDiscount"]) == discount >= 0
            total += discount
            promoted += promotion == "DOORBUSTER"
        assert cents(order["totalDiscounts"]) == total
    assert promoted > 10  # the doorbuster's lines are there, and show it
