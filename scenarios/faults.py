"""The fault schedule: each fault is a SimPy process that starts a fault at its time and
ends it after its duration, restoring what was there before.

Targets are backends (`erp`, `wms`, `payment`, `marketplace`), links (`link:SRC->DST`)
and store regions (`pos:REGION`, for stores losing connectivity). The loader has
already checked that targets and kinds are known; here an impossible combination (a
decline rate on the ERP) is a `FaultError`, raised before the run starts.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import simpy

from scenarios.errors import ScenarioError
from scenarios.spec import FaultSpec
from simulators.erp import Erp
from simulators.marketplace import Marketplace
from simulators.network import Network
from simulators.payment import PaymentGateway
from simulators.pos import Pos
from simulators.wms import Wms
from simulators.world import World


class FaultError(ScenarioError):
    """A fault the scenario asks for that this estate cannot have: bad input, exit 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="faults")


@dataclass(slots=True)
class Estate:
    """The systems a fault can hit."""

    erp: Erp
    wms: Wms
    pos: Pos
    payment: PaymentGateway
    marketplace: Marketplace
    network: Network
    world: World


Toggle = tuple[Callable[[], None], Callable[[], None]]


def _stores_toggle(estate: Estate, stores: list[str]) -> Toggle:
    """Stores losing their connection: they keep trading and upload the backlog later."""

    def offline() -> None:
        for store in stores:
            estate.pos.set_online(store, False)

    def online() -> None:
        for store in stores:
            estate.pos.set_online(store, True)

    return offline, online


def _backend_toggle(estate: Estate, fault: FaultSpec) -> Toggle:
    target, kind = fault.target, fault.kind
    systems: dict[str, Any] = {
        "erp": estate.erp,
        "wms": estate.wms,
        "payment": estate.payment,
        "marketplace": estate.marketplace,
    }
    if target == "pos" and kind in ("outage", "offline"):
        return _stores_toggle(estate, [store.location_id for store in estate.world.stores])
    system = systems.get(target)
    if system is None:
        raise FaultError(f"fault {target}/{kind}: no such backend")
    if kind == "outage":
        return (lambda: setattr(system, "down", True), lambda: setattr(system, "down", False))
    if kind == "throttle" and target == "erp":
        before = estate.erp.rate_limit_per_s
        return (
            lambda: setattr(estate.erp, "rate_limit_per_s", fault.rate),
            lambda: setattr(estate.erp, "rate_limit_per_s", before),
        )
    if kind == "slow" and target == "erp":
        station = estate.erp.station
        return (
            lambda: setattr(station, "slow_factor", fault.rate),
            lambda: setattr(station, "slow_factor", 1.0),
        )
    if kind == "decline" and target == "payment":
        before = estate.payment.decline_rate
        return (
            lambda: setattr(estate.payment, "decline_rate", fault.rate),
            lambda: setattr(estate.payment, "decline_rate", before),
        )
    if kind == "expire" and target == "payment":
        before = estate.payment.auth_ttl_s
        return (
            lambda: setattr(estate.payment, "auth_ttl_s", fault.rate),
            lambda: setattr(estate.payment, "auth_ttl_s", before),
        )
    raise FaultError(f"fault {target}/{kind}: {target} cannot have a {kind} fault")


def _link_toggle(estate: Estate, fault: FaultSpec) -> Toggle:
    src, _, dst = fault.target.removeprefix("link:").partition("->")
    network = estate.network
    link = network.link(src, dst)
    kind = fault.kind
    if kind == "outage":
        return (lambda: network.cut(src, dst), lambda: network.heal(src, dst))
    if kind in ("duplicate", "reorder", "loss"):
        field = f"{kind}_rate"
        before = getattr(link, field)
        return (lambda: setattr(link, field, fault.rate), lambda: setattr(link, field, before))
    if kind == "slow":
        return (
            lambda: setattr(link, "slow_factor", fault.rate),
            lambda: setattr(link, "slow_factor", 1.0),
        )
    if kind == "throttle":
        return (
            lambda: setattr(link, "throttle_gap_s", 1.0 / fault.rate),
            lambda: setattr(link, "throttle_gap_s", 0.0),
        )
    raise FaultError(f"fault {fault.target}/{kind}: a link cannot have a {kind} fault")


def _region_toggle(estate: Estate, fault: FaultSpec) -> Toggle:
    region = fault.target.removeprefix("pos:")
    stores = [s.location_id for s in estate.world.stores if s.region == region]
    if not stores:
        raise FaultError(f"fault {fault.target}: no stores in region {region!r}")
    if fault.kind != "offline":
        raise FaultError(f"fault {fault.target}/{fault.kind}: store regions can only go offline")
    return _stores_toggle(estate, stores)


def toggle_for(estate: Estate, fault: FaultSpec) -> Toggle:
    if fault.target.startswith("link:"):
        return _link_toggle(estate, fault)
    if fault.target.startswith("pos:"):
        return _region_toggle(estate, fault)
    return _backend_toggle(estate, fault)


def fault_window(
    env: simpy.Environment, fault: FaultSpec, toggle: Toggle, log: list[tuple[float, float, str]]
) -> Generator[Any, Any, None]:
    """One fault, start to end; a SimPy process."""
    start, end = toggle
    yield env.timeout(fault.start_s)
    start()
    yield env.timeout(fault.duration_s)
    end()
    log.append((fault.start_s, fault.start_s + fault.duration_s, f"{fault.target} {fault.kind}"))


def schedule_faults(
    env: simpy.Environment, estate: Estate, faults: tuple[FaultSpec, ...]
) -> list[tuple[float, float, str]]:
    """Check every fault against the estate, then start their processes. Returns the log
    the processes fill with (start, end, label) as each fault ends."""
    toggles = [toggle_for(estate, fault) for fault in faults]
    log: list[tuple[float, float, str]] = []
    for fault, toggle in zip(faults, toggles, strict=True):
        env.process(fault_window(env, fault, toggle, log))
    return log
