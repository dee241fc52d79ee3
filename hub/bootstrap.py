"""The composition root: the one place a hub is wired from its ports and policy.

Runtimes (the SimPy runner, tests with fakes) call `bootstrap`; nothing else constructs
hub services, so swapping a port for a fake is one argument.
"""

from __future__ import annotations

from hub.context import HubContext, Topology
from hub.core import Hub
from hub.model.inventory import InventoryBook
from hub.policy import HubPolicy
from hub.ports import Clock, Rng, Scheduler, Transport
from hub.resilience.calls import CallManager, LaneConfig
from hub.resilience.dead_letter import DeadLetterQueue

#: no practical limit: what "unbuffered" means for the ERP lane
UNBOUNDED = 1_000_000


def lane_configs(policy: HubPolicy) -> dict[str, LaneConfig]:
    return {
        "erp": LaneConfig(
            policy.erp_concurrency if policy.erp_buffer else UNBOUNDED, buffered=policy.erp_buffer
        ),
        "payment": LaneConfig(64, buffered=False),
        "wms": LaneConfig(64, buffered=True),
        "pos": LaneConfig(64, buffered=True),
        "marketplace": LaneConfig(32, buffered=True),
    }


def bootstrap(
    policy: HubPolicy,
    clock: Clock,
    scheduler: Scheduler,
    transport: Transport,
    rng: Rng,
    topology: Topology,
) -> Hub:
    dead_letters = DeadLetterQueue()
    calls = CallManager(
        policy, clock, scheduler, transport, rng, dead_letters, lane_configs(policy)
    )
    ctx = HubContext(
        policy,
        clock,
        scheduler,
        transport,
        rng,
        topology,
        calls,
        dead_letters,
        InventoryBook(policy.safety_stock),
    )
    return Hub(ctx)
