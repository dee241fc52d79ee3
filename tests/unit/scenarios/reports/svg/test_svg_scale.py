"""The scales are plain classes (not dataclasses: svg/scale.py) compared and hashed by
their kind and their ends, as the charts' tests and the panels sharing an axis need."""

from __future__ import annotations

from scenarios.reports.svg.scale import Linear, Log


def test_a_scale_equals_and_hashes_as_another_of_its_kind_with_the_same_ends() -> None:
    assert Linear(0.0, 3.0) == Linear(0.0, 3.0)
    assert hash(Linear(0.0, 3.0)) == hash(Linear(0.0, 3.0))
    assert {Linear(0.0, 3.0), Linear(0.0, 3.0)} == {Linear(0.0, 3.0)}
    assert Log(1.0, 10.0) == Log(1.0, 10.0)
    assert len({Log(1.0, 10.0), Log(1.0, 10.0)}) == 1


def test_scales_of_other_ends_or_another_kind_differ() -> None:
    assert Linear(0.0, 3.0) != Linear(0.0, 4.0)
    assert Linear(1.0, 3.0) != Linear(0.0, 3.0)
    assert Linear(1.0, 10.0) != Log(1.0, 10.0)
    assert Log(1.0, 10.0) != Linear(1.0, 10.0)
    assert Linear(0.0, 1.0) != (0.0, 1.0)
    assert repr(Log(1.0, 10.0)) == "Log(low=1.0, high=10.0)"
