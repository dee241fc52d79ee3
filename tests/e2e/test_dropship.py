"""Drop-ship partners end to end, at the defect controls' small partner day (two
partners, one losing a PO in five and down an hour): the default hub passes, judged
from ground truth, and that truth is what the partners themselves shipped."""

from __future__ import annotations

from scenarios.checking.business_metrics import collect
from scenarios.checking.dropship_families import FIELDS
from scenarios.checking.truth import gather
from scenarios.checking.verdict import judge
from scenarios.cli.run_output import dropship_line
from scenarios.experiments.defect_controls import PARTNER_DAY
from scenarios.spec.loader import load_scenario
from scenarios.twin.runtime import run

#: simulated time only: runs beside the head-started wall-clock runs (tests/head_start.py)
COMPUTES_ONLY = True


def test_the_default_hub_passes_and_truth_is_what_partners_shipped() -> None:
    scenario = load_scenario("steady-day", overrides=PARTNER_DAY)
    result = run(scenario)
    verdict = judge(result, "steady-day", PARTNER_DAY)
    failed = [c.name for c in verdict.invariants if not c.passed]
    assert verdict.passed, (failed, [s.name for s in verdict.sla if not s.passed])
    estate = result.estate
    metric = verdict.metrics["dropship"]
    shipped = 0
    for system, partner in estate.partners.items():
        units = sum(qty for po in partner.orders.values() for _, qty in po.release.picked)
        assert metric["partners"][system]["shipped_units"] == units
        shipped += units
        for po in partner.orders.values():
            # the order's fulfilment the checker reads holds the partner's own record
            assert po.release in estate.wms.legs[po.release.order_ref]
            order = estate.hub.ctx.orders[po.release.order_ref]
            for sku, qty in po.release.picked:
                line = next(line for line in order.lines if line.sku == sku)
                assert order.location_of(line) == partner.location
                assert line.shipped_quantity == qty
    assert shipped > 0 and metric["lines_to_partner_pct"] == 100.0
    assert sum(p["pos_sent_again"] for p in metric["partners"].values()) > 0
    assert sum(p["late_notices"] for p in metric["partners"].values()) > 0
    assert any("partner:acme outage" in entry[2] for entry in result.fault_log)
    assert "partner:acme" in dropship_line(metric)  # the terminal's line


def test_the_prometheus_families_carry_each_partners_figures() -> None:
    scenario = load_scenario("steady-day", overrides=PARTNER_DAY)
    result = run(scenario)
    figures = judge(result, "steady-day", PARTNER_DAY).metrics["dropship"]["partners"]
    families = {m.name: m for m in collect(result, gather(result), final=True)}
    for name, key in FIELDS:
        metric = families[name.removesuffix("_total")]
        by_partner = {sample.labels["partner"]: sample.value for sample in metric.samples}
        assert by_partner == {system: float(p[key]) for system, p in figures.items()}
    assert sum(p["shipped_units"] for p in figures.values()) > 0
