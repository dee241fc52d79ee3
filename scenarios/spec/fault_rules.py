"""Which faults each target can have, and which links carry which traffic.

A fault that cannot act on its target would make a scenario look tested when nothing
happened: a decline rate on the WMS, a duplicate storm on a link that only carries
request/response calls (HTTP calls are never duplicated by the broker), a fault on a
link between two systems that never talk to each other. The loader rejects all of these
with the fault's index, and the fault schedule (`scenarios.twin.faults`) asks the same
questions again before a run, so the rules live here once. Which kinds each target
can have at all is the fault table's (`simulators.faults`); this module adds what only
the runtime's wiring decides: which links carry traffic, and of which sort.

Traffic, as the runtime wires it: every message and call goes to or from the hub.
Broker messages travel `web->hub`, `marketplace->hub`, `wms->hub`, `pos->hub`,
`hub->web` and `hub->marketplace`, and `erp->hub` when the ERP has a legacy batch
interface (its import results). Request/response legs travel `hub->SYSTEM` and back for
every backend the hub calls (`erp`, `wms`, `pos`, `payment`, `marketplace`, and `tax`
and `fraud` when the estate has them); the fraud screen's decisions travel `fraud->hub`.
"""

from __future__ import annotations

from simulators.faults import (
    BROKER_ONLY_KINDS,
    LINK_FAULTS,
    REGION_FAULTS,
    SYSTEM_FAULTS,
    TOKEN_KINDS,
    FaultKind,
)

__all__ = ["BROKER_LINKS", "CALLED_SYSTEMS", "Problem", "fault_problem"]

#: links that carry broker messages whatever the ERP's interface
BROKER_LINKS = (
    "web->hub",
    "marketplace->hub",
    "wms->hub",
    "pos->hub",
    "hub->web",
    "hub->marketplace",
    "fraud->hub",
)
#: backends the hub calls: their links to and from the hub carry request/response legs
CALLED_SYSTEMS = ("erp", "wms", "pos", "payment", "marketplace", "tax", "fraud")
#: backends an estate has only when its scenario asks for them, and the key that does
OPTIONAL_SYSTEMS = {"tax": "backends.tax.enabled", "fraud": "backends.fraud.enabled"}


def _absent(system: str) -> Problem:
    return (
        "target",
        f"the estate has no {system} backend, so a fault on it would do nothing; "
        f"set {OPTIONAL_SYSTEMS[system]} = true to have one",
    )


def _kinds(kinds: tuple[FaultKind, ...]) -> str:
    return ", ".join(kinds)


#: (the field to blame, "target" or "kind"; what is wrong)
Problem = tuple[str, str]


def _link_problem(kind: str, src: str, dst: str, legacy_erp: bool) -> Problem | None:
    link = f"{src}->{dst}"
    if "hub" not in (src, dst):
        return (
            "target",
            f"link:{link} carries no traffic: every message and call goes to or from the "
            "hub; expected a link with hub at one end (SRC->hub or hub->DST)",
        )
    other = dst if src == "hub" else src
    broker = link in BROKER_LINKS or (link == "erp->hub" and legacy_erp)
    calls = other in CALLED_SYSTEMS
    if not broker and not calls:
        return ("target", f"link:{link} carries no traffic: the hub sends nothing to {other}")
    if kind in BROKER_ONLY_KINDS and not broker:
        erp_note = (
            " (erp->hub carries broker messages only when the ERP has a legacy batch "
            'interface: backends.erp.mode or a cutover to "legacy_batch")'
            if link == "erp->hub"
            else ""
        )
        return (
            "target",
            f"a {kind} fault on link:{link} would do nothing: the link carries only "
            "request/response calls, which the broker never duplicates, reorders, loses "
            f"or throttles{erp_note}; broker links are {', '.join(BROKER_LINKS)}",
        )
    return None


def fault_problem(
    target: str,
    kind: str,
    legacy_erp: bool = False,
    present: frozenset[str] = frozenset(),
    tokens: frozenset[str] = frozenset(),
) -> Problem | None:
    """Why a fault of `kind` on `target` (already a well-formed target) cannot act, as
    (the field to blame, a message), or None when it can. `legacy_erp`: the ERP has a
    legacy batch interface at some point of the run, so `erp->hub` carries its import
    results; `present`: which of the `OPTIONAL_SYSTEMS` the estate has; `tokens`: the
    backends whose API wants an access token (`token_lifetime`)."""
    if target.startswith("link:"):
        if kind not in LINK_FAULTS:
            return ("kind", f"a link cannot have a {kind} fault; expected {_kinds(LINK_FAULTS)}")
        src, _, dst = target.removeprefix("link:").partition("->")
        for system in (src, dst):
            if system in OPTIONAL_SYSTEMS and system not in present:
                return _absent(system)
        return _link_problem(kind, src, dst, legacy_erp)
    if target.startswith("partner:"):
        return _partner_problem(target, kind, tokens)
    if target.startswith("pos:"):
        if kind not in REGION_FAULTS:
            return (
                "kind",
                f"a store region ({target}) cannot have a {kind} fault; "
                f"a region can only go {_kinds(REGION_FAULTS)}",
            )
        return None
    kinds = SYSTEM_FAULTS.get(target)
    if kinds is None:
        return ("target", f"no such backend {target!r}")
    if target in OPTIONAL_SYSTEMS and target not in present:
        return _absent(target)
    if kind not in kinds:
        return ("kind", f"{target} cannot have a {kind} fault; expected {_kinds(kinds)}")
    if kind in TOKEN_KINDS and target not in tokens:
        return (
            "kind",
            f"{target}'s API takes no access token (backends.{target}.token_lifetime is 0), "
            f"so a {kind} fault would do nothing; set backends.{target}.token_lifetime",
        )
    return None


#: what a drop-ship partner (`partner:NAME`) can have: its API down, its tokens revoked
#: or its token endpoint down (those two only with a `token_lifetime`)
PARTNER_FAULTS = (FaultKind.OUTAGE, FaultKind.REVOKE, FaultKind.AUTH_OUTAGE)


def _partner_problem(target: str, kind: str, tokens: frozenset[str]) -> Problem | None:
    """A partner's faults; whether the scenario has that partner is the cross-field
    rules' question (they know the partners' names)."""
    if kind not in PARTNER_FAULTS:
        return ("kind", f"{target} cannot have a {kind} fault; expected {_kinds(PARTNER_FAULTS)}")
    if kind in TOKEN_KINDS and target not in tokens:
        return (
            "kind",
            f"{target}'s API takes no access token (its token_lifetime is 0), so a {kind} "
            "fault would do nothing; set the partner's token_lifetime",
        )
    return None
