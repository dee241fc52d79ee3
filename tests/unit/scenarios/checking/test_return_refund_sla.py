"""The return-to-refund limit a run hands its read model (the `run` document), which
judges each return by it: the scenario's per-return maximum where it sets one, its
p95 otherwise, none when it sets neither."""

from __future__ import annotations

import pytest

from scenarios.checking.operations import return_refund_sla_s
from scenarios.spec.loader import load_scenario


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ((), 8 * 3600.0),  # steady-day's return_to_refund_p95 = "8h"
        (("sla.return_to_refund.gateway.max=12h",), 12 * 3600.0),
        (('sla.return_to_refund_p95="none"',), None),
    ],
)
def test_the_per_return_limit_is_the_max_else_the_p95(
    overrides: tuple[str, ...], expected: float | None
) -> None:
    assert return_refund_sla_s(load_scenario("steady-day", overrides)) == expected
