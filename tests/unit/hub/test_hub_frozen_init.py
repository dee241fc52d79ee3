"""hub/frozen.py: a frozen dataclass built by `direct_init` is the same value as one
built by the dataclass's own constructor, and as frozen."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass, field

import pytest

from hub.durability.entries import Received, TimerFired
from hub.frozen import direct_init
from hub.messages import OrderReceived
from hub.resilience.results import Ok


@dataclass(frozen=True, slots=True)
class Plain:
    name: str
    quantity: int
    region: str = "west"


@direct_init
@dataclass(frozen=True, slots=True)
class Direct:
    name: str
    quantity: int
    region: str = "west"


def test_built_as_the_dataclass_builds_it_positionally_by_keyword_and_by_default() -> None:
    assert dataclasses.astuple(Direct("a", 1)) == dataclasses.astuple(Plain("a", 1))
    assert dataclasses.astuple(Direct("a", 1, "east")) == dataclasses.astuple(Plain("a", 1, "east"))
    assert dataclasses.astuple(Direct("a", quantity=2)) == dataclasses.astuple(
        Plain("a", quantity=2)
    )
    assert Direct.__init__.__qualname__ == "Direct.__init__"


def test_fields_defaults_and_keywords_land_where_the_dataclass_puts_them() -> None:
    made = Received("web", 7, {"a": 1}, 12.5)
    assert (made.source, made.message_id, made.payload, made.at) == ("web", 7, {"a": 1}, 12.5)
    order = OrderReceived("W-1", "web", "C-1", 3.0, (), region="east")
    assert order.region == "east" and order.pickup_store == "" and order.net_days == -1


def test_equal_hashable_picklable_and_still_frozen() -> None:
    ok = Ok(200, {"id": "x"})
    assert ok == Ok(200, {"id": "x"}) and ok != Ok(201, {"id": "x"})
    entry = Received("pos", 1, {}, 0.0)
    assert pickle.loads(pickle.dumps(entry)) == entry
    assert hash(TimerFired(("feed_flush", None), 1.0)) == hash(
        TimerFired(("feed_flush", None), 1.0)
    )
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.source = "web"  # type: ignore[misc]


def test_a_missing_argument_is_refused_as_by_the_dataclass() -> None:
    with pytest.raises(TypeError):
        Received("pos", 1, {})  # type: ignore[call-arg]


def test_classes_it_cannot_build_the_same_way_are_refused() -> None:
    @dataclass(frozen=True)
    class Unslotted:
        name: str

    @dataclass(frozen=True, slots=True)
    class Factory:
        rows: list[int] = field(default_factory=list)

    @dataclass(frozen=True, slots=True)
    class Checked:
        name: str

        def __post_init__(self) -> None:
            pass

    for cls in (Unslotted, Factory, Checked):
        with pytest.raises(TypeError):
            direct_init(cls)
