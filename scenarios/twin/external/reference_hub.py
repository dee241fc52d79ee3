"""The project's own hub as an external process (`retailtwin hub serve`).

The same core the twin runs in process, built for each day from nothing but what
`day.started` says (topology, opening stock, the scenario's hub section, the seed for
its random stream) and served over the contract by hub/adapters/http/. If it passes a
scenario through HTTP as it does in process, the contract carries everything a hub
needs; what it cannot learn from the contract, an external hub could not either.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import Any

from starlette.applications import Starlette

from hub.adapters.http.defects import ServerDefect
from hub.adapters.http.service import HubPorts, build_hub_app
from hub.adapters.instant_store import InstantStore
from hub.bootstrap import bootstrap
from hub.context import Topology
from hub.core import Hub
from hub.messages import StockReport
from scenarios.spec.round_trip import hub_policy_from_plain
from scenarios.twin.external.hub_defects import DEFECTS
from simulators.rng import Streams

#: every defect `--defect` takes: the core's (docs/invariants.md) and the adapter's


def build_day_hub(started: Mapping[str, Any], ports: HubPorts, core_defects: frozenset[str]) -> Hub:
    """The hub for the day `started` announces, on `ports`, with `core_defects` seeded."""
    policy = hub_policy_from_plain(started.get("hub_policy", {}), "day.started.hub_policy")
    policy = dataclasses.replace(policy, defects=policy.defects | core_defects)
    layout = started["topology"]
    topology = Topology(
        tuple(layout["dcs"]),
        tuple(layout["stores"]),
        dict(layout.get("regions", {})),
        tax_engine="tax" in layout.get("systems", ()),
        fraud_screen="fraud" in layout.get("systems", ()),
        token_systems=tuple(sorted(layout.get("credentials", {}))),
        marketplaces=tuple(layout.get("marketplaces", ("marketplace",))),
        region_hops={
            (a, b): int(hops)
            for a, row in layout.get("region_hops", {}).items()
            for b, hops in row.items()
        },
    )
    hub = bootstrap(
        policy,
        ports.clock,
        ports.scheduler,
        ports.transport,
        Streams(int(started["seed"])).get("hub"),
        topology,
        InstantStore(),
    )
    hub.load_stock(
        StockReport(str(row["sku"]), str(row["location"]), int(row["on_hand"]), 0, 0.0)
        for row in started["opening_stock"]
    )
    return hub


def reference_hub_app(defects: Iterable[str] = ()) -> Starlette:
    """The reference hub's web app, with `defects` (names from `DEFECTS`) seeded."""
    chosen = frozenset(defects)
    unknown = chosen - set(DEFECTS)
    if unknown:
        raise ValueError(
            f"unknown defect {sorted(unknown)[0]!r}; expected one of {', '.join(DEFECTS)}"
        )
    server = frozenset(ServerDefect(name) for name in chosen if name in set(ServerDefect))
    core = chosen - {defect.value for defect in server}
    return build_hub_app(lambda started, ports: build_day_hub(started, ports, core), server)
