"""Building the estate: the world, the simulated systems, the network between them and
the hub, wired on one SimPy environment.

Why a module of its own: this is the twin's composition root on the simulation side (as
`hub/bootstrap.py` is on the hub's): every constructor argument a scenario field feeds
is here, one small function per system, and nothing runs time. `scenarios.twin.runtime`
starts the day on what `build` returns; `scenarios.twin.demand` adds the customers'
arrivals.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Protocol

import simpy

from hub.core import Hub
from scenarios.spec.scenario import Scenario
from scenarios.twin.digest import DigestRecorder
from scenarios.twin.hub_driver import HubDriver
from scenarios.twin.hub_process import HubProcess
from scenarios.twin.optional_backends import (
    build_b2b,
    build_customers,
    build_fraud,
    build_marketplaces,
    build_tax,
    guard_backends,
    parcel_arrivals,
)
from scenarios.twin.partner_plan import build_partners
from scenarios.twin.pricing_plan import build_pricing, priced_skus
from scenarios.twin.sim_ports import Backend, Inbox, Receiver, SendToHub, SimTransport
from scenarios.twin.world_plan import build_scenario_world
from simulators.b2b import B2bPortal
from simulators.carrier import Carrier, to_the_door
from simulators.credentials import TokenAuthority
from simulators.customers import Customers
from simulators.dropship import Partner
from simulators.erp import Erp, ErpConfig
from simulators.fraud import FraudScreen
from simulators.marketplace import Marketplace
from simulators.network import LinkProfile, Network
from simulators.payment import PaymentConfig, PaymentGateway
from simulators.pos import Pos, PosConfig
from simulators.position_slots import PositionSlots
from simulators.pricing import PricingSource
from simulators.rng import Streams
from simulators.storefront import Storefront
from simulators.sync_lag import SyncLagMeter
from simulators.tax import TaxEngine
from simulators.types import Emit
from simulators.wms import Dispatched, Shipped, Wms, WmsConfig
from simulators.world import World

if TYPE_CHECKING:  # the timeline imports the read model's records, and so SQLAlchemy:
    # a run without one (no --out) should not pay for its import
    from scenarios.twin.timeline import TimelineRecorder


class ExternalHubLink(Inbox, Protocol):
    """An external hub plugged into the estate over HTTP (scenarios/twin/external/):
    the runtime tells it the day's milestones, and asks it whether anything it owes the
    hub is still on its way."""

    #: the hub's base URL, for messages that name it
    url: str

    def close_day(self, at_s: float) -> None: ...

    def idle(self) -> bool: ...

    def gauges(self) -> dict[str, float]: ...

    def report(self) -> dict[str, int]: ...


class HubOutsideTheTwin(RuntimeError):
    """Something asked for the in-process hub of a run whose hub is an external
    process: only what the systems recorded can be read of it."""


@dataclass(slots=True)
class Estate:
    """Every system of the twin: the world they share, the backends, the channels, the
    customers, the network between them and the hub under test. Faults act on it while
    the day runs; the checker reads each system's own records from it afterwards.

    The hub under test is either in this process (`hub_process`, `hub`, `transport`) or
    an external one over HTTP (`external_hub`); asking for the in-process hub of an
    external run raises `HubOutsideTheTwin` rather than answering with nothing."""

    world: World
    erp: Erp
    wms: Wms
    pos: Pos
    payment: PaymentGateway
    storefront: Storefront
    marketplace: Marketplace
    pricing: PricingSource
    customers: Customers
    network: Network
    env: simpy.Environment
    #: the systems that answer the hub's calls, and the channels it publishes to, by name
    backends: dict[str, Backend]
    receivers: dict[str, Receiver]
    #: the hub under test, as a process the twin can crash and restart (None: external)
    in_process_hub: HubProcess | None = None
    sim_transport: SimTransport | None = None
    #: the hub under test when it is an external process (None: in process)
    external_hub: ExternalHubLink | None = None
    #: the tax engine and the fraud screen, when the scenario has them
    tax: TaxEngine | None = None
    fraud: FraudScreen | None = None
    #: the token endpoints in front of the APIs that want a token, by system
    authorities: dict[str, TokenAuthority] = field(default_factory=dict)
    #: the parcel carrier from the DCs' docks to the customers' doors (None: an estate
    #: built without one, as some tests build it)
    carrier: Carrier | None = None
    #: the B2B portal, when the scenario has one
    b2b: B2bPortal | None = None
    #: the marketplaces after the first, when the scenario names several
    more_marketplaces: tuple[Marketplace, ...] = ()

    @property
    def marketplaces(self) -> tuple[Marketplace, ...]:
        """Every marketplace, the first (`marketplace`) first."""
        return (self.marketplace, *self.more_marketplaces)

    #: the drop-ship partners, by system (`partner:NAME`); empty: none
    partners: dict[str, Partner] = field(default_factory=dict)
    sync_lag: SyncLagMeter = field(init=False)  # measured as the day goes (sync_lag.py)

    def __post_init__(self) -> None:
        stocks, channels = (self.wms.stock, self.pos.stock), (self.storefront, *self.marketplaces)
        slots = PositionSlots()  # a position's slot, one for every table that keeps it
        for stock in stocks:
            stock.seq.share(slots)
            stock.last_moved_at.share(slots)
        for channel in channels:
            channel.reflected_seq.share(slots)
        self.sync_lag = SyncLagMeter.watching(*stocks, *channels)
        if self.external_hub is not None:  # its read model reads a position's last move
            for stock in stocks:
                stock.keep_move_times = True

    @property
    def now(self) -> float:
        """The simulated time now: a live day's checker counts unfinished items to it."""
        return float(self.env.now)

    @property
    def hub_process(self) -> HubProcess:
        """The in-process hub as a process the twin can crash and restart."""
        if self.in_process_hub is None:
            raise HubOutsideTheTwin("the hub under test is an external process")
        return self.in_process_hub

    @property
    def hub(self) -> Hub:
        """The hub running now (after a crash, the one rebuilt from its store)."""
        return self.hub_process.hub

    @property
    def transport(self) -> SimTransport:
        if self.sim_transport is None:
            raise HubOutsideTheTwin("the hub under test is an external process")
        return self.sim_transport


@dataclass(frozen=True, slots=True)
class Built:
    """What `build` hands the runtime: the estate, and the recorder and driver the
    runtime seals the run with."""

    estate: Estate
    recorder: DigestRecorder
    #: the in-process hub's driver (None when the hub is external)
    driver: HubDriver | None


def _network(
    env: simpy.Environment,
    scenario: Scenario,
    streams: Streams,
    recorder: DigestRecorder,
    observer: TimelineRecorder | None,
) -> Network:
    net = scenario.network
    network_type = Network if observer is None else observer.network_type()
    profile = LinkProfile(
        net.latency_median_s,
        net.latency_p95_s,
        net.duplicate_rate,
        net.reorder_rate,
        net.reorder_delay_s,
        net.loss_rate,
        net.redelivery_delay_s,
    )
    return network_type(env, streams, profile, recorder)


def _sender_to_hub(network: Network, inbox: Inbox) -> Callable[[str], Emit]:
    """For each system, the function it sends the hub a message with: over its own
    link, delivered to the hub's inbox (the in-process driver, or the webhook sender)."""
    return partial(SendToHub, network, inbox)


def _erp(
    env: simpy.Environment, scenario: Scenario, streams: Streams, world: World, emit: Emit
) -> Erp:
    spec = scenario.backends.erp
    config = ErpConfig(
        spec.mode,
        spec.idempotent_refs,
        spec.concurrency,
        spec.service_time_median_s,
        spec.service_time_p95_s,
        spec.rate_limit_per_s,
        spec.queue_limit,
        spec.import_interval_s,
        spec.lost_response_rate,
    )
    return Erp(env, streams.get("erp"), config, {**world.dc_stock, **world.store_stock}, emit)


def _wms(
    env: simpy.Environment,
    scenario: Scenario,
    streams: Streams,
    world: World,
    emit: Emit,
    on_shipped: Shipped,
    dispatch: Dispatched,
) -> Wms:
    spec = scenario.backends.wms
    config = WmsConfig(
        spec.pickers_per_dc,
        spec.pick_time_median_s,
        spec.pack_ship_median_s,
        spec.inspect_time_median_s,
        spec.damaged_rate,
    )
    return Wms(
        env,
        streams.get("wms"),
        config,
        [dc.location_id for dc in world.warehouses],
        world.dc_stock,
        emit,
        on_shipped,
        dispatch,
    )


def _pos(
    env: simpy.Environment,
    scenario: Scenario,
    streams: Streams,
    world: World,
    emit: Emit,
    customers: Callable[[], Customers],
    priced: frozenset[str],
) -> Pos:
    spec = scenario.backends.pos
    config = PosConfig(
        spec.store_pick_time_median_s, spec.damaged_rate, spec.reconnect_upload_spread_s
    )
    return Pos(
        env,
        streams.get("pos"),
        config,
        [s.location_id for s in world.stores],
        world.store_stock,
        emit,
        lambda ref, store: customers().on_ready(ref, store),
        priced,
    )


def _payment(env: simpy.Environment, scenario: Scenario, streams: Streams) -> PaymentGateway:
    spec = scenario.backends.payment
    config = PaymentConfig(
        spec.decline_rate, spec.lost_response_rate, spec.service_time_median_s, spec.auth_ttl_s
    )
    return PaymentGateway(env, streams.get("payment"), config)


def _hub_inbox(external_hub: ExternalHubLink | None) -> tuple[HubDriver | None, Inbox]:
    """The in-process hub's driver and the inbox it is (external: None and the hub's link)."""
    if external_hub is None:
        driver = HubDriver()
        return driver, driver
    return None, external_hub


def _backends(
    core: dict[str, Backend],
    marketplaces: Sequence[Marketplace],
    optional: dict[str, Backend | None],
) -> dict[str, Backend]:
    """Every backend the hub calls, by system, in the order they were always listed
    (which the digest sees): the core four, each marketplace, then the optional ones the
    estate has (None: it has not) and each drop-ship partner."""
    backends = dict(core)
    backends.update({m.system: m for m in marketplaces})
    backends.update({system: b for system, b in optional.items() if b is not None})
    return backends


def build(
    scenario: Scenario,
    env: simpy.Environment,
    observer: TimelineRecorder | None = None,
    external_hub: ExternalHubLink | None = None,
) -> Built:
    """The whole estate of `scenario` on `env`, wired and idle. With an `observer`, the
    network and the backends record the message timeline for the read model. With an
    `external_hub`, the hub is not built here: the systems' messages go to that link,
    and the hub's calls come in over HTTP (scenarios/twin/external/)."""
    streams = Streams(scenario.seed)
    world = build_scenario_world(scenario, streams)
    recorder = DigestRecorder()
    network = _network(env, scenario, streams, recorder, observer)
    driver, inbox = _hub_inbox(external_hub)
    to_hub = _sender_to_hub(network, inbox)
    # customers need the channels first: the WMS and the stores find them through this
    built_customers: list[Customers] = []

    def customers() -> Customers:
        return built_customers[0]

    portal: list[B2bPortal] = []  # built with the storefront, after the WMS
    erp = _erp(env, scenario, streams, world, to_hub("erp"))
    carrier = Carrier(streams.get("carrier"))
    dispatch = to_the_door(world, carrier, lambda ref: customers().order(ref))
    arrivals = parcel_arrivals(customers, portal)
    wms = _wms(env, scenario, streams, world, to_hub("wms"), arrivals, dispatch)
    partners = build_partners(env, scenario, streams, wms, to_hub, arrivals, dispatch)
    pricing = build_pricing(env, scenario, world, streams.get("pricing"), to_hub("pricing"))
    pos = _pos(env, scenario, streams, world, to_hub("pos"), customers, priced_skus(pricing))
    payment = _payment(env, scenario, streams)
    tax = build_tax(env, scenario, world, streams.get("tax"))
    fraud = build_fraud(env, scenario, streams, to_hub("fraud"))
    storefront = Storefront(env, to_hub("web"))
    marketplaces = build_marketplaces(env, scenario, streams, to_hub)
    marketplace = marketplaces[0]
    b2b = build_b2b(env, scenario, streams, world, storefront)
    portal.extend([b2b] if b2b is not None else [])
    built_customers.append(
        build_customers(env, scenario, streams, world, (storefront, marketplaces, pos))
    )
    backends = _backends(
        {"erp": erp, "wms": wms, "pos": pos, "payment": payment},
        marketplaces,
        {"tax": tax, "fraud": fraud, **partners},
    )
    if observer is not None:
        backends = observer.wrap_backends(backends)
    authorities = guard_backends(env, scenario, backends)
    receivers: dict[str, Receiver] = {"web": storefront, "pos": pos}
    receivers.update({m.system: m for m in marketplaces})
    estate = Estate(
        world=world,
        erp=erp,
        wms=wms,
        pos=pos,
        payment=payment,
        storefront=storefront,
        marketplace=marketplace,
        pricing=pricing,
        customers=customers(),
        network=network,
        env=env,
        backends=backends,
        receivers=receivers,
        external_hub=external_hub,
        tax=tax,
        fraud=fraud,
        authorities=authorities,
        carrier=carrier,
        b2b=b2b,
        more_marketplaces=marketplaces[1:],
        partners=partners,
    )
    if driver is not None:
        transport = SimTransport(env, network, driver, backends, receivers)
        estate.sim_transport = transport
        estate.in_process_hub = HubProcess(env, scenario, world, driver, transport)
    return Built(estate, recorder, driver)
