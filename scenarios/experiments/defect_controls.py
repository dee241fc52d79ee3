"""The negative controls: for every defect a hub can be seeded with, the world in which
the checker must catch it with the hub otherwise left at its defaults.

A checker that cannot fail proves nothing, and a defect caught only when the hub is
first configured to hide nothing (`erp_reconcile = "report"`) is not caught in the
field. Each control names the smallest world where the defect does harm: most run a
half-scale, half-day steady-day; `ignore_shortages` needs shelves that run out, and the
two journal defects need a hub that crashes while its commits are slow. The test suite
runs every control (tests/e2e/test_defect_controls.py) and docs/invariants.md carries
the table `scripts/defect_table.py` writes from the same runs.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass

from scenarios.checking.verdict import Verdict, judge
from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run

#: half the day at half the demand: every defect but three shows in it
SMALL_DAY = ("scenario.scale=0.5", "scenario.duration=12h")
#: stores in one region trade offline for six hours on thin shelves: the hub takes
#: click-and-collect orders against stock their tills have already sold, so picks come
#: up short, and a hub that ignores shortages has something to ignore. As in
#: pos-offline, the collection view of those stores is as old as the outage, so sync
#: lag is judged on the marketplace's view alone
STORES_SELL_BLIND = (
    'faults=[{target="pos:north", kind="offline", start="8h", duration="6h"}]',
    "demand.basket_lines_mean=2.5",
    "demand.click_collect_orders_per_hour=120",
    "world.store_stock_mean=3",
    "sla.sync_lag_p95=none",
    "sla.sync_lag.marketplace.p95=60s",
)
#: promotion-launch at a fifth of its scale, its doorbuster still live when the day
#: ends (a promotion that ends before the checker looks leaves every book back at list
#: price, and the damage only in the stale-price orders)
PROMOTION_STILL_LIVE = (
    "scenario.scale=0.2",
    'pricing.promotions=[{name="DOORBUSTER", start="0h", end="48h", hot_skus=25, off_pct=40}]',
)
#: tax-degraded at a fifth of its scale: its engine quotes, commits and reverses
TAX_DAY = ("scenario.scale=0.2",)
#: fraud-review at a fifth of its scale: its screen holds orders and its analysts decide
FRAUD_DAY = ("scenario.scale=0.2",)
#: marketplace-settlement at a fifth of its scale: payouts with lines paid short
SETTLEMENT_DAY = ("scenario.scale=0.2",)
#: the small day with an allocation rule on every channel and a safety stock of its own
#: at every DC, so a feed that ignores them offers more than a rule allows
ALLOCATED_DAY = (
    *SMALL_DAY,
    "hub.allocation.web_safety_stock=1",
    "hub.allocation.marketplace_share_pct=50",
    "hub.allocation.click_collect_safety_stock=1",
    'hub.allocation.locations=[{location="dcs", units=2}]',
)
#: the small day on thin DC shelves with bigger baskets, sourced nearest with splits on:
#: a few orders no one DC can fill ship in parts, so a hub that forgets a part has one
SPLIT_DAY = (
    *SMALL_DAY,
    "hub.sourcing.strategy=nearest",
    "hub.sourcing.split=true",
    "world.dc_cover_days=0.3",
    "demand.basket_lines_mean=2.5",
)
#: the small day sourced from the nearest DC, with a limit on order to door the nearest
#: DCs keep (p95 about 2.3 days) and parcels from the far side of the ring do not
NEAREST_DAY = (*SMALL_DAY, "hub.sourcing.strategy=nearest", "sla.delivery_p95=3d")
#: credentials-expiry at a twentieth of its scale: a token revoked, a token endpoint down
CREDENTIALS_DAY = ("scenario.scale=0.05",)
#: payment-degraded at a fifth of its scale: authorisations expire before capture
PAYMENT_DAY = ("scenario.scale=0.2",)
#: a small day with a B2B portal whose invoices fall due on receipt, so its companies
#: pay inside the run, and no remittance may be left unapplied; one DC, so a company's
#: order the store's availability shows is one DC can fill (until sourcing from
#: several DCs splits it)
B2B_DAY = (
    "scenario.scale=0.2",
    "scenario.duration=12h",
    "world.dcs=1",
    "backends.b2b.enabled=true",
    "backends.b2b.net_days=0",
    "sla.unapplied_remittances_max=0",
)
#: a small day selling through two marketplaces, each with its own acknowledgement
#: window, settlement desk and share of the stock, the second one's seller API down for
#: 20 minutes of its 30-minute window: a hub that answers every marketplace's orders
#: at the first has the second's never acknowledged
TWO_MARKETPLACES_DAY = (
    "scenario.scale=0.2",
    "scenario.duration=12h",
    'backends.marketplaces=[{name="ebay", share_pct=60, ack_window="10m", '
    'settlement_interval="3h"}, {name="amazon", share_pct=40, ack_window="30m", '
    'resend_after="10m", settlement_interval="4h", commission_pct=12}]',
    'faults=[{target="amazon", kind="outage", start="10h", duration="20m"}]',
    'hub.allocation.marketplaces=[{name="ebay", share_pct=50}, {name="amazon", share_pct=30}]',
)
#: a small day with two drop-ship partners (one losing a PO in five, its API down an
#: hour; each sends a shipment notice in twenty late) and both partner SLAs: a hub
#: that sends their lines to the DCs, or never sends a lost PO again, fails one
PARTNER_DAY = (
    "scenario.scale=0.2",
    "scenario.duration=12h",
    'backends.partners=[{name="acme", sku_share=0.2, po_loss_rate=0.2},'
    ' {name="globex", sku_share=0.05, region="south"}]',
    'faults=[{target="partner:acme", kind="outage", start="3h", duration="1h"}]',
    "sla.partner_lines_to_partner_pct=100",
    "sla.partner_pos_unacknowledged_max=0",
)
#: hub-crash's two crashes, with commits slow enough that a crash finds work
#: acknowledged or sent and not yet committed
SLOW_COMMITS = ("scenario.scale=0.3", "backends.store.commit_latency=2s")


@dataclass(frozen=True, slots=True)
class DefectControl:
    defect: str
    scenario: str
    overrides: tuple[str, ...]

    @property
    def run_overrides(self) -> tuple[str, ...]:
        return (*self.overrides, f'hub.defects=["{self.defect}"]')

    def command(self) -> str:
        """The command line that reproduces the control."""
        words = ["retailtwin", "run", self.scenario]
        for override in self.run_overrides:
            words += ["--set", override]
        return shlex.join(words)


CONTROLS: tuple[DefectControl, ...] = (
    DefectControl("drop_erp_orders", "steady-day", SMALL_DAY),
    DefectControl("forget_returns", "steady-day", SMALL_DAY),
    DefectControl("skip_credit_memo", "steady-day", SMALL_DAY),
    DefectControl("skip_stock_posting", "steady-day", SMALL_DAY),
    DefectControl("stale_feed", "steady-day", SMALL_DAY),
    DefectControl("refund_before_receipt", "steady-day", SMALL_DAY),
    DefectControl("unbalanced_journal", "steady-day", SMALL_DAY),
    DefectControl("ignore_shortages", "steady-day", STORES_SELL_BLIND),
    DefectControl("drop_marketplace_promotions", "promotion-launch", PROMOTION_STILL_LIVE),
    DefectControl("skip_tax_reversal", "tax-degraded", TAX_DAY),
    DefectControl("release_before_review", "fraud-review", FRAUD_DAY),
    DefectControl("drop_review_decisions", "fraud-review", FRAUD_DAY),
    DefectControl("book_payouts_blindly", "marketplace-settlement", SETTLEMENT_DAY),
    DefectControl("ignore_allocation", "steady-day", ALLOCATED_DAY),
    DefectControl("capture_b2b_on_card", "steady-day", B2B_DAY),
    DefectControl("ignore_token_expiry", "credentials-expiry", CREDENTIALS_DAY),
    DefectControl("park_expired_authorisations", "payment-degraded", PAYMENT_DAY),
    DefectControl("forget_second_leg", "steady-day", SPLIT_DAY),
    DefectControl("source_farthest", "steady-day", NEAREST_DAY),
    DefectControl("ack_first_marketplace_only", "steady-day", TWO_MARKETPLACES_DAY),
    DefectControl("ship_partner_lines_from_dc", "steady-day", PARTNER_DAY),
    DefectControl("ignore_partner_ack_window", "steady-day", PARTNER_DAY),
    DefectControl("ack_before_commit", "hub-crash", SLOW_COMMITS),
    DefectControl(
        "send_before_record", "hub-crash", (*SLOW_COMMITS, "backends.erp.idempotent_refs=false")
    ),
)


@dataclass(frozen=True, slots=True)
class ControlOutcome:
    control: DefectControl
    verdict: Verdict

    @property
    def broken(self) -> list[str]:
        """The invariants and SLAs the defect broke, invariants first."""
        return [str(c.name) for c in self.verdict.invariants if not c.passed] + [
            s.name for s in self.verdict.sla if not s.passed
        ]


def run_control(control: DefectControl, with_defect: bool = True) -> ControlOutcome:
    """The control's run, judged: with its defect, or without (the world alone)."""
    overrides = control.run_overrides if with_defect else control.overrides
    result = run(load_scenario(control.scenario, overrides))
    return ControlOutcome(control, judge(result, control.scenario, overrides))
