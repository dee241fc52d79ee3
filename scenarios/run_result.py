"""What a finished (or running) day leaves behind: the estate with every system's own
records, the time series sampled along the way, and the run's fingerprint and costs.

The checker, the metrics, the reports and the read model all read this one object;
it lives apart from the runner so that they need not import the machinery that built it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hub.core import Hub
from scenarios.sim_ports import SimTransport
from scenarios.spec import Scenario
from simulators.customers import Customers
from simulators.erp import Erp
from simulators.marketplace import Marketplace
from simulators.network import Network
from simulators.payment import PaymentGateway
from simulators.pos import Pos
from simulators.storefront import Storefront
from simulators.wms import Wms
from simulators.world import World


@dataclass(slots=True)
class Samples:
    """Time series sampled once a simulated minute, for metrics and charts."""

    t: list[float] = field(default_factory=list)
    series: dict[str, list[float]] = field(default_factory=dict)

    def add(self, at: float, values: dict[str, float]) -> None:
        self.t.append(at)
        for name, value in values.items():
            self.series.setdefault(name, []).append(value)


@dataclass(slots=True)
class RunResult:
    scenario: Scenario
    world: World
    hub: Hub
    erp: Erp
    wms: Wms
    pos: Pos
    payment: PaymentGateway
    storefront: Storefront
    marketplace: Marketplace
    customers: Customers
    network: Network
    transport: SimTransport
    samples: Samples
    fault_log: list[tuple[float, float, str]]
    digest: str
    deliveries: int
    sim_events: int
    hub_seconds: float
    hub_calls: int
    wall_seconds: float
    peak_memory_bytes: int = 0
    #: simulated time the estate settled after the drain (-1: it never did)
    settled_at: float = -1.0
