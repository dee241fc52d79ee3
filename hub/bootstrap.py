"""The composition root: the one place a hub is wired from its ports and policy.

Runtimes (the SimPy runner, tests with fakes) call `bootstrap`; nothing else constructs
hub services, so swapping a port for a fake is one argument.
"""

from __future__ import annotations

from hub.adapters.instant_store import InstantStore
from hub.context import HubContext, Topology
from hub.core import Hub
from hub.durability.journal import Journal
from hub.durability.outbox import JournalClock, Outbox
from hub.model.allocation import safety_stock_by_location
from hub.model.inventory import InventoryBook
from hub.policy import HubPolicy
from hub.ports import Clock, DurableStore, Rng, Scheduler, Transport
from hub.resilience.calls import CallManager, LaneConfig
from hub.resilience.dead_letter import DeadLetterQueue

#: no practical limit: what "unbuffered" means for the ERP lane
UNBOUNDED = 1_000_000


def lane_configs(policy: HubPolicy, topology: Topology) -> dict[str, LaneConfig]:
    """One lane per backend the hub calls; the tax engine's and the fraud screen's only
    in an estate that has them (an idle lane would still show in every run's gauges)."""
    lanes = {
        "erp": LaneConfig(
            policy.erp_concurrency if policy.erp_buffer else UNBOUNDED, buffered=policy.erp_buffer
        ),
        "payment": LaneConfig(64, buffered=False),
        "wms": LaneConfig(64, buffered=True),
        "pos": LaneConfig(64, buffered=True),
    }
    for name in topology.marketplaces:  # each marketplace its own lane and breaker
        lanes[name] = LaneConfig(32, buffered=True)
    if topology.tax_engine:
        lanes["tax"] = LaneConfig(32, buffered=False)
    if topology.fraud_screen:  # every authorised order waits for it: never give up
        lanes["fraud"] = LaneConfig(32, buffered=True)
    for system in topology.partners.values():  # each drop-ship partner's own API
        lanes[system] = LaneConfig(16, buffered=True)
    return lanes


def bootstrap(
    policy: HubPolicy,
    clock: Clock,
    scheduler: Scheduler,
    transport: Transport,
    rng: Rng,
    topology: Topology,
    store: DurableStore | None = None,
    replaying: bool = False,
) -> Hub:
    """A hub on these ports. With `policy.journal`, its services see the journal's clock
    and outbox instead of the runtime's (they commit before they act); `store` is where
    it commits (in memory, at once, by default). `replaying`: built to be rebuilt from
    `store` (`recover`), so nothing its constructor decides leaves."""
    journal = None
    if policy.journal:
        journal_clock = JournalClock(clock)
        outbox = Outbox(transport, scheduler, journal_clock)
        journal = Journal(
            store if store is not None else InstantStore(),
            outbox,
            journal_clock,
            send_before_record=policy.has_defect("send_before_record"),
        )
        if replaying:
            journal.start_replay()
        clock, scheduler, transport = journal_clock, outbox, outbox
    dead_letters = DeadLetterQueue()
    calls = CallManager(
        policy,
        clock,
        scheduler,
        transport,
        rng,
        dead_letters,
        lane_configs(policy, topology),
        topology.token_systems,
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
        _inventory_book(policy, topology),
    )
    return Hub(ctx, journal)


def recover(
    policy: HubPolicy,
    clock: Clock,
    scheduler: Scheduler,
    transport: Transport,
    rng: Rng,
    topology: Topology,
    store: DurableStore,
) -> Hub:
    """A hub restarted after a crash: built afresh (`rng` must be the stream the first
    hub was given, restarted from its seed), its journal in `store` replayed, then
    resumed on the live ports."""
    if not policy.journal:
        raise ValueError("a hub without a journal cannot be recovered: it committed nothing")
    hub = bootstrap(policy, clock, scheduler, transport, rng, topology, store, replaying=True)
    hub.replay(store.entries())
    hub.resume()
    return hub


def _inventory_book(policy: HubPolicy, topology: Topology) -> InventoryBook:
    """The book, its positions holding back each location's safety stock (the seeded
    `ignore_allocation` holds back `hub.safety_stock` everywhere, whatever the
    allocation rules say)."""
    if policy.has_defect("ignore_allocation"):
        return InventoryBook(policy.safety_stock)
    held = safety_stock_by_location(policy.allocation, topology.dcs, topology.stores)
    return InventoryBook(policy.safety_stock, held)
