"""report.json's integrity hash: any edit to its content is caught; layout is not."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest

from scenarios.reports.integrity import IntegrityError, seal, verify


def _report() -> dict[str, object]:
    return {
        "scenario": "steady-day",
        "seed": 3,
        "overrides": ["hub.sync=event"],
        "digest": "abc",
        "metrics": {"oversell": {"oversold_units": 0}},
        "values": (1.5, None),
    }


def test_sealed_report_verifies_after_a_json_round_trip() -> None:
    sealed = seal(_report())
    verify(json.loads(json.dumps(sealed, indent=4)))


@pytest.mark.parametrize(
    "edit",
    [
        lambda r: r.__setitem__("seed", 4),
        lambda r: r["overrides"].append("hub.ordering=false"),
        lambda r: r["metrics"]["oversell"].__setitem__("oversold_units", 1),
        lambda r: r.__setitem__("new", True),
    ],
    ids=["seed", "override added", "nested metric", "field added"],
)
def test_any_edit_is_rejected(edit: Callable[[dict[str, Any]], object]) -> None:
    report = json.loads(json.dumps(seal(_report())))
    edit(report)
    with pytest.raises(IntegrityError, match="modified since it was written"):
        verify(report, "out/report.json")


def test_missing_or_malformed_integrity_field() -> None:
    with pytest.raises(IntegrityError, match="no integrity field"):
        verify(_report())
    broken = {**_report(), "integrity": "yes"}
    with pytest.raises(IntegrityError, match="integrity: expected"):
        verify(broken)
