"""One table of fault kinds (`simulators.faults`), read by everything that knows a
fault: the loader, the fault schedule, the API's `faultInject` input and the docs.

A kind added to the table but not taught to one of them must fail here rather than
slip through to a default (the schedule once treated any unknown backend fault as
"expire" and any unknown link fault as "throttle")."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from graphql import GraphQLEnumType

from graph.schema import composed_schema
from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import scenario_from_dict
from scenarios.spec.scenario import FaultSpec
from scenarios.twin.estate import Estate
from scenarios.twin.faults import FaultError, toggle_for
from simulators.faults import (
    KINDS,
    LINK_FAULTS,
    REGION_FAULTS,
    SYSTEM_FAULTS,
    FaultKind,
    RateRule,
)

ROOT = Path(__file__).resolve().parents[4]
#: a broker link (it carries every kind a link can have) and a store region
BROKER_LINK = "link:web->hub"
#: kinds that act once, at the start, and leave nothing to put back (revoked tokens
#: stay revoked: the client must get new ones)
ONE_SHOT = frozenset({FaultKind.REVOKE})


def _rate(kind: FaultKind) -> float:
    return 2.0 if KINDS[kind].rate is RateRule.POSITIVE else 0.5


def _state(estate: Estate) -> str:
    """Every setting a fault can touch, as one comparable text."""
    link = estate.network.link("web", "hub")
    return repr(
        (
            estate.erp.down,
            estate.erp.rate_limit.rate_per_s,
            estate.erp.station.slow_factor,
            estate.wms.down,
            estate.payment.down,
            estate.payment.slow_factor,
            estate.payment.decline_rate,
            estate.payment.auth_ttl_s,
            estate.marketplace.down,
            estate.marketplace.rate_limit.rate_per_s,
            _tax_state(estate),
            _fraud_state(estate),
            sorted(estate.pos.online.items()),
            [getattr(link, name) for name in ("slow_factor", "throttle_gap_s")],
            [getattr(link, f"{kind}_rate") for kind in ("duplicate", "reorder", "loss")],
            estate.network.is_down("web", "hub"),
            estate.hub_process.down,
            [(a.refusing, a.revocations) for _, a in sorted(estate.authorities.items())],
        )
    )


def _tax_state(estate: Estate) -> tuple[bool, float, float]:
    tax = estate.tax
    assert tax is not None, "the tiny estate has a tax engine, so its faults can be tried"
    return (tax.down, tax.slow_factor, tax.rate_limit.rate_per_s)


def _fraud_state(estate: Estate) -> tuple[bool, float]:
    fraud = estate.fraud
    assert fraud is not None, "the tiny estate has a fraud screen, so its faults can be tried"
    return (fraud.down, fraud.slow_factor)


def _targets() -> list[tuple[str, FaultKind]]:
    pairs = [(target, kind) for target, kinds in SYSTEM_FAULTS.items() for kind in kinds]
    pairs += [(BROKER_LINK, kind) for kind in LINK_FAULTS]
    pairs += [("pos:north", kind) for kind in REGION_FAULTS]
    return pairs


@pytest.mark.parametrize(("target", "kind"), _targets())
def test_every_kind_the_table_allows_switches_something_and_restores_it(
    tiny_estate: Estate, target: str, kind: FaultKind
) -> None:
    before = _state(tiny_estate)
    start, end = toggle_for(tiny_estate, FaultSpec(target, kind, 0.0, 60.0, _rate(kind)))
    start()
    during = _state(tiny_estate)
    end()
    assert during != before, f"a {kind} fault on {target} changed nothing"
    if kind in ONE_SHOT:
        return
    assert _state(tiny_estate) == before, f"a {kind} fault on {target} was not undone"


def test_a_kind_the_table_refuses_never_reaches_a_default(tiny_estate: Estate) -> None:
    for target, kinds in SYSTEM_FAULTS.items():
        for kind in set(FaultKind) - set(kinds):
            with pytest.raises(FaultError, match=f"{target} cannot have a {kind} fault"):
                toggle_for(tiny_estate, FaultSpec(target, kind, 0.0, 60.0, 0.5))
    for kind in set(FaultKind) - set(LINK_FAULTS):
        with pytest.raises(FaultError, match=f"a link cannot have a {kind} fault"):
            toggle_for(tiny_estate, FaultSpec(BROKER_LINK, kind, 0.0, 60.0, 0.5))


def test_the_loader_takes_exactly_the_tables_kinds() -> None:
    def load(kind: str) -> FaultSpec:
        raw = {
            "scenario": {"name": "f", "description": "faults"},
            "faults": [{"target": BROKER_LINK, "kind": kind, "start": "1h", "duration": "1m"}],
        }
        raw["faults"][0]["rate"] = _rate(FaultKind(kind))
        return scenario_from_dict(raw).faults[0]

    for kind in LINK_FAULTS:
        assert load(kind).kind is kind
    with pytest.raises(ScenarioError) as refused:
        scenario_from_dict(
            {
                "scenario": {"name": "f", "description": "faults"},
                "faults": [{"target": "erp", "kind": "meltdown", "start": "1h", "duration": "1m"}],
            }
        )
    message = str(refused.value)
    assert "faults[0].kind: unknown fault kind" in message
    assert "expected one of: " + ", ".join(FaultKind) in message


def test_the_api_offers_exactly_the_tables_kinds() -> None:
    enum = composed_schema()._schema.get_type("FaultKind")
    assert isinstance(enum, GraphQLEnumType)
    assert set(enum.values) == {kind.name for kind in FaultKind}


def test_the_docs_table_is_written_from_the_table() -> None:
    check = subprocess.run(
        [sys.executable, "scripts/fault_table.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
