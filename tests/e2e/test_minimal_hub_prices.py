"""The minimal example hub's price module on its own, under node: a basket promotion is
carried to its channel with its version, a late change is not pushed over a newer one.
(The whole hub runs promotion-launch in tests/e2e/test_external_hub.py, but cut at
10:00, before the day's basket promotion starts.)"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from external_support import node

PRICES = Path(__file__).resolve().parents[2] / "examples" / "minimal-hub" / "prices.mjs"

DRIVER = """
import { Prices } from %s;
const published = [];
const prices = new Prices({
  clock: { wallMs: () => 1, now: () => 42 },
  backends: { publish: async (channel, topic, body) => published.push([channel, topic, body]) },
  log: { error: (m) => console.error(m) },
  spawn: (promise) => promise,
});
const basket = { name: "SPEND100", channel: "web", min_basket_cents: 10000, percent_off: 10 };
prices.changed({ version: 2, prices: [], baskets: [{ ...basket, live: true }] });
prices.changed({ version: 1, prices: [], baskets: [{ ...basket, live: false }] });
prices.changed({ version: 3, prices: [{ sku: "A", channel: "marketplace", price_cents: 9,
  list_price_cents: 10, promotion: "" }] });
setTimeout(() => console.log(JSON.stringify(published)), 20);
"""


def test_a_basket_promotion_reaches_its_channel_and_a_late_change_does_not(tmp_path: Path) -> None:
    script = tmp_path / "driver.mjs"
    script.write_text(DRIVER % json.dumps(PRICES.as_uri()))
    done = subprocess.run([node(), str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    published = {channel: body for channel, _topic, body in json.loads(done.stdout)}
    assert published["web"]["baskets"] == [
        {
            "name": "SPEND100",
            "min_basket_cents": 10000,
            "percent_off": 10,
            "live": True,
            "version": 2,
        }
    ]
    assert published["web"]["prices"] == []
    assert "baskets" not in published["marketplace"]
