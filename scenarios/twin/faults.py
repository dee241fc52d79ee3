"""The fault schedule: each fault is a SimPy process that starts a fault at its time and
ends it after its duration, restoring what was there before.

Targets are backends (`erp`, `wms`, `pos`, `payment`, `marketplace`, `tax`, `fraud`), links
(`link:SRC->DST`) and store regions (`pos:REGION`, for stores losing connectivity).
Which kinds each can have is the fault table's (`simulators.faults`); the loader has
already checked them with `scenarios.spec.fault_rules`, and the same rules are asked
again here, so a fault built some other way (the live API) that cannot act (a decline
rate on the ERP) is a `FaultError`, raised before it starts. Each backend's switch for
each kind is one entry of `_BACKEND_SWITCHES` and each link kind one case of
`_link_switch`: a kind the table allows but nobody taught the schedule is a
`FaultError` too, never a default.

Cutovers (`[[cutovers]]`) are scheduled here too: like a fault they change the estate at
a time the scenario names, but once and for good.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import Any

import simpy

from scenarios.spec.errors import ScenarioError
from scenarios.spec.fault_rules import fault_problem
from scenarios.spec.marketplace_rules import fault_target_as_kind, system_kind
from scenarios.spec.scenario import CutoverSpec, FaultSpec
from scenarios.twin.estate import Estate
from simulators.credentials import GUARDABLE, TokenAuthority
from simulators.erp import Erp
from simulators.faults import FaultKind
from simulators.fraud import FraudScreen
from simulators.marketplace import Marketplace
from simulators.network import Network
from simulators.payment import PaymentGateway
from simulators.tax import TaxEngine
from simulators.wms import Wms


class FaultError(ScenarioError):
    """A fault the scenario asks for that this estate cannot have: bad input, exit 2."""

    def __init__(self, message: str) -> None:
        super().__init__(message, field="faults")


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


def _setting(holder: Any, name: str, value: float) -> Toggle:
    """Set `holder.name` to `value` for the window, then put back what was there when
    the schedule was built."""
    before = getattr(holder, name)
    return (lambda: setattr(holder, name, value), lambda: setattr(holder, name, before))


def _tax(estate: Estate) -> TaxEngine:
    if estate.tax is None:  # fault_problem refused it already; this is a guard
        raise FaultError("the estate has no tax engine (backends.tax.enabled = false)")
    return estate.tax


def _fraud(estate: Estate) -> FraudScreen:
    if estate.fraud is None:  # fault_problem refused it already; this is a guard
        raise FaultError("the estate has no fraud screen (backends.fraud.enabled = false)")
    return estate.fraud


def _marketplace(estate: Estate, fault: FaultSpec) -> Marketplace:
    """The marketplace the fault names (each of several by its own name)."""
    for marketplace in estate.marketplaces:
        if marketplace.system == fault.target:
            return marketplace
    raise FaultError(f"the estate has no marketplace named {fault.target!r}")


def _authority(estate: Estate, system: str) -> TokenAuthority:
    authority = estate.authorities.get(system)
    if authority is None:  # fault_problem refused it already; this is a guard
        raise FaultError(f"{system}'s API takes no access token (token_lifetime is 0)")
    return authority


def _revoke(estate: Estate, fault: FaultSpec) -> Toggle:
    """Every token revoked at the start; the end has nothing to put back."""
    authority = _authority(estate, fault.target)
    return (authority.revoke_all, lambda: None)


def _token_outage(estate: Estate, fault: FaultSpec) -> Toggle:
    """The token endpoint answers 503 for the window; the API behind it works."""
    return _setting(_authority(estate, fault.target), "refusing", True)


def _down(system: Erp | Wms | PaymentGateway | Marketplace | TaxEngine | FraudScreen) -> Toggle:
    """A backend that answers 503 to everything for the window."""
    return (lambda: setattr(system, "down", True), lambda: setattr(system, "down", False))


def _all_stores(estate: Estate, fault: FaultSpec) -> Toggle:
    return _stores_toggle(estate, [store.location_id for store in estate.world.stores])


def _slowed(holder: Any, fault: FaultSpec) -> Toggle:
    """Work (the ERP's stations, the gateway's answers) takes `rate` times as long."""
    return (
        lambda: setattr(holder, "slow_factor", fault.rate),
        lambda: setattr(holder, "slow_factor", 1.0),
    )


#: how each system takes each kind of fault it can have (simulators.faults.SYSTEM_FAULTS)
_BACKEND_SWITCHES: dict[tuple[str, FaultKind], Callable[[Estate, FaultSpec], Toggle]] = {
    ("erp", FaultKind.OUTAGE): lambda e, f: _down(e.erp),
    ("erp", FaultKind.THROTTLE): lambda e, f: _setting(e.erp.rate_limit, "rate_per_s", f.rate),
    ("erp", FaultKind.SLOW): lambda e, f: _slowed(e.erp.station, f),
    ("wms", FaultKind.OUTAGE): lambda e, f: _down(e.wms),
    ("pos", FaultKind.OUTAGE): _all_stores,
    ("pos", FaultKind.OFFLINE): _all_stores,
    ("payment", FaultKind.OUTAGE): lambda e, f: _down(e.payment),
    ("payment", FaultKind.SLOW): lambda e, f: _slowed(e.payment, f),
    ("payment", FaultKind.DECLINE): lambda e, f: _setting(e.payment, "decline_rate", f.rate),
    # authorisations created in the window get this TTL
    ("payment", FaultKind.EXPIRE): lambda e, f: _setting(e.payment, "auth_ttl_s", f.rate),
    ("marketplace", FaultKind.OUTAGE): lambda e, f: _down(_marketplace(e, f)),
    ("tax", FaultKind.OUTAGE): lambda e, f: _down(_tax(e)),
    ("tax", FaultKind.SLOW): lambda e, f: _slowed(_tax(e), f),
    ("tax", FaultKind.THROTTLE): lambda e, f: _setting(_tax(e).rate_limit, "rate_per_s", f.rate),
    ("fraud", FaultKind.OUTAGE): lambda e, f: _down(_fraud(e)),
    # the screen's answers and its analysts' reviews alike
    ("fraud", FaultKind.SLOW): lambda e, f: _slowed(_fraud(e), f),
    ("marketplace", FaultKind.THROTTLE): lambda e, f: _setting(
        _marketplace(e, f).rate_limit, "rate_per_s", f.rate
    ),
    # the hub's process dies at the start, and restarts from its store at the end
    ("hub", FaultKind.CRASH): lambda e, f: (e.hub_process.crash, e.hub_process.restart),
    # the token endpoints in front of the APIs that want a token, whichever they are
    **{(system, FaultKind.REVOKE): _revoke for system in GUARDABLE},
    **{(system, FaultKind.AUTH_OUTAGE): _token_outage for system in GUARDABLE},
}


def _link_switch(network: Network, src: str, dst: str, fault: FaultSpec) -> Toggle:
    link = network.link(src, dst)
    match fault.kind:
        case FaultKind.OUTAGE:
            return (lambda: network.cut(src, dst), lambda: network.heal(src, dst))
        case FaultKind.DUPLICATE | FaultKind.REORDER | FaultKind.LOSS:
            return _setting(link, f"{fault.kind}_rate", fault.rate)
        case FaultKind.SLOW:
            return (
                lambda: setattr(link, "slow_factor", fault.rate),
                lambda: setattr(link, "slow_factor", 1.0),
            )
        case FaultKind.THROTTLE:  # broker messages spaced out to the rate
            return (
                lambda: setattr(link, "throttle_gap_s", 1.0 / fault.rate),
                lambda: setattr(link, "throttle_gap_s", 0.0),
            )
    raise FaultError(f"fault {fault.target}/{fault.kind}: a link has no switch for it")


def _backend_toggle(estate: Estate, fault: FaultSpec, kind_of_target: str) -> Toggle:
    switch = _BACKEND_SWITCHES.get((kind_of_target, fault.kind))
    if switch is None:  # the table allows a kind nobody taught the schedule
        raise FaultError(f"fault {fault.target}/{fault.kind}: {fault.target} has no switch for it")
    return switch(estate, fault)


def _link_toggle(estate: Estate, fault: FaultSpec) -> Toggle:
    src, _, dst = fault.target.removeprefix("link:").partition("->")
    return _link_switch(estate.network, src, dst, fault)


def _region_toggle(estate: Estate, fault: FaultSpec) -> Toggle:
    region = fault.target.removeprefix("pos:")
    stores = [s.location_id for s in estate.world.stores if s.region == region]
    if not stores:
        raise FaultError(f"fault {fault.target}: no stores in region {region!r}")
    return _stores_toggle(estate, stores)


def _legacy_erp(estate: Estate) -> bool:
    return estate.erp.mode == "legacy_batch" or estate.erp.config.mode == "legacy_batch"


def toggle_for(estate: Estate, fault: FaultSpec, legacy_erp: bool | None = None) -> Toggle:
    """The (start, end) pair of one fault; FaultError when the fault cannot act on its
    target. `legacy_erp`: whether the ERP has a legacy interface at some point of the
    run (default: now or at the start)."""
    legacy = _legacy_erp(estate) if legacy_erp is None else legacy_erp
    present = frozenset(name for name in ("tax", "fraud") if name in estate.backends)
    # a marketplace's name stands for the kind of system it is; its tokens are its own
    names = tuple(m.system for m in estate.marketplaces)
    target = fault_target_as_kind(fault.target, names, "faults")
    tokens = frozenset(
        system_kind(s, names) for s in estate.authorities if s not in names or s == fault.target
    )
    problem = fault_problem(target, fault.kind, legacy, present, tokens)
    if problem is not None:
        raise FaultError(f"fault {fault.target}/{fault.kind}: {problem[1]}")
    if fault.target.startswith("link:"):
        return _link_toggle(estate, fault)
    if fault.target.startswith("pos:"):
        return _region_toggle(estate, fault)
    if fault.target.startswith("partner:"):
        return _partner_toggle(estate, fault)
    return _backend_toggle(estate, fault, target)


def _partner_toggle(estate: Estate, fault: FaultSpec) -> Toggle:
    """A drop-ship partner's API down, or its tokens revoked or its token endpoint
    down (`fault_problem` allowed only those)."""
    partner = estate.partners.get(fault.target)
    if partner is None:
        raise FaultError(f"fault {fault.target}: the estate has no such partner")
    if fault.kind == FaultKind.OUTAGE:
        return (lambda: setattr(partner, "down", True), lambda: setattr(partner, "down", False))
    if fault.kind == FaultKind.REVOKE:
        return _revoke(estate, fault)
    return _token_outage(estate, fault)


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
    env: simpy.Environment,
    estate: Estate,
    faults: tuple[FaultSpec, ...],
    cutovers: tuple[CutoverSpec, ...] = (),
) -> list[tuple[float, float, str]]:
    """Check every fault against the estate, then start their processes. Returns the log
    the processes fill with (start, end, label) as each fault ends."""
    legacy = _legacy_erp(estate) or any(c.mode == "legacy_batch" for c in cutovers)
    toggles = [toggle_for(estate, fault, legacy) for fault in faults]
    log: list[tuple[float, float, str]] = []
    for fault, toggle in zip(faults, toggles, strict=True):
        env.process(fault_window(env, fault, toggle, log))
    return log


def cutover(
    env: simpy.Environment, estate: Estate, change: CutoverSpec
) -> Generator[Any, Any, None]:
    """One cutover: at its time the ERP answers through its other interface (a SimPy
    process). Going to the API, the ERP imports the last batch file at once."""
    yield env.timeout(change.at_s)
    estate.erp.switch_mode(change.mode)


def schedule_cutovers(
    env: simpy.Environment, estate: Estate, cutovers: tuple[CutoverSpec, ...]
) -> None:
    for change in cutovers:
        if change.system != "erp":  # the loader allows no other system
            raise FaultError(f"cutover of {change.system}: only the ERP can be cut over")
        env.process(cutover(env, estate, change))
