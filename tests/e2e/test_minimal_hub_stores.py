"""The minimal example hub's store takings on their own, under node: posted as a
summary on the timer and at `day.closing`, and a sale heard after closing (a late
redelivery) posted at once, since the twin ends the day 300 simulated seconds after the
hub last took a message or called, and a 900-second summary timer would hold it past
the end (docs/integrate.md, "What a run does")."""

from __future__ import annotations

from pathlib import Path

from external_support import run_node_module_driver

STORES = Path(__file__).resolve().parents[2] / "examples" / "minimal-hub" / "stores.mjs"

DRIVER = """
import { Stores } from %s;
const posted = [];
const day = {
  clock: { wallMs: (s) => s * 1000 },
  backends: { erpWrite: async (operation, body) => posted.push([operation, body.DocRef]) },
  spawn: (promise) => promise,
};
const stores = new Stores(day, 900); // the timer never fires in this script's time
const sale = (txn) => ({ txn, store: "ST-1", lines: [{ sku: "A", qty: 1, price_cents: 100,
  tax_cents: 20 }] });
stores.sale(sale("T-1"));
const beforeClosing = posted.length;
stores.closing();
const atClosing = posted.length;
stores.sale(sale("T-2"));
stores.sale(sale("T-2")); // the same till transaction again
stores.stop();
setTimeout(() => console.log(JSON.stringify({ beforeClosing, atClosing, posted })), 20);
"""


def test_a_sale_heard_after_closing_is_posted_at_once(tmp_path: Path) -> None:
    seen = run_node_module_driver(tmp_path, DRIVER, STORES)
    assert (seen["beforeClosing"], seen["atClosing"]) == (0, 1)
    assert seen["posted"] == [["post_store_sales", "SS-ST-1-1"], ["post_store_sales", "SS-ST-1-2"]]
