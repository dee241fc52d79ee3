"""A fault must be able to act on its target: the loader rejects, with the fault's index
and the field to fix, a kind its target cannot have and a link fault that would do
nothing; the fault schedule asks the same rules again for faults built elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios.spec.errors import ScenarioError
from scenarios.spec.fault_rules import fault_problem
from scenarios.spec.loader import load_scenario
from scenarios.spec.scenario import FaultSpec
from scenarios.twin.faults import FaultError, toggle_for
from simulators.faults import LINK_FAULTS, SYSTEM_FAULTS

HEADER = '[scenario]\nname = "f"\ndescription = "Fault rules."\n'


def fault(target: str, kind: str, rate: float = 0.5) -> str:
    return (
        f'[[faults]]\ntarget = "{target}"\nkind = "{kind}"\nstart = "1h"\n'
        f'duration = "10m"\nrate = {rate}\n'
    )


def load(tmp_path: Path, body: str) -> None:
    path = tmp_path / "s.toml"
    path.write_text(HEADER + body, encoding="utf-8")
    load_scenario(str(path))


def error(tmp_path: Path, body: str) -> str:
    with pytest.raises(ScenarioError) as info:
        load(tmp_path, body)
    return str(info.value)


@pytest.mark.parametrize(
    ("target", "kind", "fragment"),
    [
        ("link:erp->wms", "outage", "link:erp->wms carries no traffic"),
        ("link:web->marketplace", "slow", "expected a link with hub at one end"),
        (
            "link:hub->payment",
            "duplicate",
            "a duplicate fault on link:hub->payment would do nothing",
        ),
        ("link:payment->hub", "loss", "carries only request/response calls"),
        ("link:hub->erp", "reorder", "broker links are web->hub"),
        ("link:hub->wms", "throttle", "would do nothing"),
        ("link:erp->hub", "duplicate", "only when the ERP has a legacy batch interface"),
    ],
)
def test_a_link_fault_that_would_do_nothing_is_refused(
    tmp_path: Path, target: str, kind: str, fragment: str
) -> None:
    message = error(tmp_path, fault("erp", "outage") + fault(target, kind))
    assert "faults[1].target: " in message
    assert fragment in message


@pytest.mark.parametrize(
    ("target", "kind"),
    [("wms", "decline"), ("erp", "expire"), ("pos", "slow"), ("wms", "throttle")],
)
def test_a_kind_the_backend_cannot_have_names_the_fault_and_the_choices(
    tmp_path: Path, target: str, kind: str
) -> None:
    message = error(tmp_path, fault(target, kind))
    assert f"faults[0].kind: {target} cannot have a {kind} fault; expected " in message
    for allowed in SYSTEM_FAULTS[target]:
        assert allowed in message


def test_a_region_only_goes_offline(tmp_path: Path) -> None:
    message = error(tmp_path, fault("pos:north", "outage"))
    assert "faults[0].kind: a store region (pos:north) cannot have a outage fault" in message


def test_a_link_cannot_have_a_backend_kind(tmp_path: Path) -> None:
    message = error(tmp_path, fault("link:wms->hub", "decline"))
    assert "faults[0].kind: a link cannot have a decline fault" in message
    assert ", ".join(LINK_FAULTS) in message


@pytest.mark.parametrize(
    ("target", "kind", "rate"),
    [
        ("link:wms->hub", "duplicate", 0.5),
        ("link:hub->marketplace", "reorder", 0.5),
        ("link:hub->payment", "slow", 20),
        ("link:hub->erp", "outage", 0),
        ("payment", "slow", 20),
        ("marketplace", "throttle", 2),
        ("erp", "throttle", 2),
        ("pos", "offline", 0),
    ],
)
def test_faults_that_act_are_accepted(tmp_path: Path, target: str, kind: str, rate: float) -> None:
    load(tmp_path, fault(target, kind, rate))


def test_erp_to_hub_carries_broker_messages_when_the_erp_is_legacy(tmp_path: Path) -> None:
    dup = fault("link:erp->hub", "duplicate")
    load(tmp_path, '[backends.erp]\nmode = "legacy_batch"\n' + dup)
    load(
        tmp_path,
        '[backends.erp]\nmode = "legacy_batch"\n[[cutovers]]\nat = "12h"\nmode = "api"\n' + dup,
    )
    # an API ERP that is cut over to the legacy interface later carries them then
    load(tmp_path, '[[cutovers]]\nat = "12h"\nmode = "legacy_batch"\n' + dup)


def test_the_rules_answer_with_the_field_to_blame() -> None:
    assert fault_problem("link:hub->web", "duplicate") is None
    assert fault_problem("link:hub->erp", "duplicate", legacy_erp=True) is not None
    assert fault_problem("link:erp->hub", "duplicate", legacy_erp=True) is None
    assert fault_problem("payment", "decline") is None
    problem = fault_problem("erp", "decline")
    assert problem is not None and problem[0] == "kind"
    problem = fault_problem("link:wms->pos", "outage")
    assert problem is not None and problem[0] == "target"


def test_the_fault_schedule_refuses_what_the_loader_refuses(tiny_estate: object) -> None:
    with pytest.raises(FaultError, match=r"fault wms/decline: wms cannot have a decline fault"):
        toggle_for(tiny_estate, FaultSpec("wms", "decline", 0.0, 60.0, 0.5))  # type: ignore[arg-type]
    with pytest.raises(FaultError, match=r"would do nothing"):
        toggle_for(tiny_estate, FaultSpec("link:hub->pos", "loss", 0.0, 60.0, 0.5))  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["revoke", "auth_outage"])
def test_a_token_fault_needs_a_backend_that_takes_tokens(tmp_path: Path, kind: str) -> None:
    message = error(tmp_path, fault("erp", kind))
    assert "faults[0].kind: erp's API takes no access token" in message
    assert "set backends.erp.token_lifetime" in message
    load(tmp_path, '[backends.erp]\ntoken_lifetime = "1h"\n' + fault("erp", kind))
    assert "wms cannot have a" in error(tmp_path, fault("wms", kind))


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (
            '[backends.marketplace]\ntoken_lifetime = "30s"\n',
            "backends.marketplace.token_lifetime: expected 0 (no tokens) or at least 1m, got 30s",
        ),
        (
            '[backends.erp]\nmode = "legacy_batch"\ntoken_lifetime = "1h"\n',
            "backends.erp.token_lifetime: a legacy_batch ERP takes files",
        ),
        (
            '[backends.erp]\ntoken_lifetime = "1h"\n[[cutovers]]\nat = "2h"\n'
            'mode = "legacy_batch"\n',
            "cutovers[0]: an ERP cut over between its file import and its API cannot have",
        ),
    ],
)
def test_token_lifetimes_that_cannot_work_are_refused(
    tmp_path: Path, body: str, fragment: str
) -> None:
    assert fragment in error(tmp_path, body)
