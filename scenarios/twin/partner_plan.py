"""Drop-ship partners in the world and in the estate (`[[backends.partners]]`).

Why a module of its own: each partner takes a share of the catalogue out of the DCs
(drawn from its own named stream, so a scenario without partners draws nothing and
runs as before), holds those SKUs on its own shelves at its own location, and is a
backend of its own that the estate wires beside the WMS; all of that is the twin's
turning of the spec into the simulators' terms.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import simpy

from scenarios.spec.scenario import Scenario
from simulators.dropship import SOURCE, Partner, PartnerConfig, location_of, system_of
from simulators.release import Release
from simulators.rng import Streams
from simulators.types import Emit
from simulators.wms import Wms
from simulators.world import Location, World


def add_partners(scenario: Scenario, world: World, streams: Streams) -> None:
    """Each partner's location (after the DCs), its SKUs drawn from the catalogue
    without repeats, and its opening stock: what the DCs would have held of them,
    times its cover over theirs. The DCs keep those SKUs' positions at 0, and no
    replenishment target (the partner alone ships them)."""
    specs = scenario.backends.partners
    if not specs:
        return
    rng = streams.get("dropship:skus")
    warehouses = [dc.location_id for dc in world.dcs]
    pool = sorted(sku.sku_id for sku in world.skus)
    for index, spec in enumerate(specs):
        location = location_of(spec.name)
        region = spec.region or world.regions[index % len(world.regions)]
        world.dcs.append(Location(location, "partner", region, f"{spec.name} (drop-ship)"))
        count = min(len(pool), max(1, round(len(world.skus) * spec.sku_share)))
        chosen = sorted(rng.sample(pool, count))
        taken = set(chosen)
        pool = [sku for sku in pool if sku not in taken]
        ratio = spec.stock_cover_days / scenario.world.dc_cover_days
        for sku in chosen:
            held = sum(world.dc_stock.get((sku, dc), 0) for dc in warehouses)
            for dc in warehouses:
                world.dc_stock[(sku, dc)] = 0
                world.dc_targets[(sku, dc)] = 0
            world.dc_stock[(sku, location)] = max(3, round(held * ratio))
            world.partner_skus[sku] = location


def build_partners(
    env: simpy.Environment,
    scenario: Scenario,
    streams: Streams,
    wms: Wms,
    to_hub: Callable[[str], Emit],
    on_shipped: Callable[[str, list[tuple[str, int]]], None],
    dispatch: Callable[[Release], None],
) -> dict[str, Partner]:
    """Each partner as a backend, by its system name (`partner:NAME`): its shelves in
    the DC stockroom, its POs recorded beside the WMS's releases."""
    partners: dict[str, Partner] = {}
    for spec in scenario.backends.partners:
        config = PartnerConfig(
            spec.name,
            spec.ack_time_median_s,
            spec.processing_time_median_s,
            spec.stock_feed_interval_s,
            spec.late_notice_rate,
            spec.late_notice_delay_s,
            spec.unfillable_rate,
            spec.po_loss_rate,
        )
        partner = Partner(
            env,
            streams.get(f"dropship:{spec.name}"),
            config,
            wms.stock,
            to_hub(SOURCE),
            wms.record,
            on_shipped,
            dispatch,
        )
        partners[config.system] = partner
        wms.take_returns_for(config.location)
    return partners


def partner_topology(scenario: Scenario, world: World) -> dict[str, Any]:
    """What the hub is configured with about the partners (`hub.context.Topology`'s
    partner fields): nothing for a scenario without them."""
    specs = scenario.backends.partners
    if not specs:
        return {}
    return {
        "partners": {location_of(spec.name): system_of(spec.name) for spec in specs},
        "partner_skus": dict(world.partner_skus),
        "partner_ack_window_s": {location_of(spec.name): spec.ack_window_s for spec in specs},
    }
