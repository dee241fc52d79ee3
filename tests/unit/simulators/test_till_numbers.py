"""The tills' ids are formatted and parsed in one place, and what the tills ring up
parses back: the checker holds their return ids by number on that promise."""

from __future__ import annotations

import random

import simpy

from simulators.pos import Pos, PosConfig
from simulators.till_numbers import TXN_DIGITS, parse_return_id, return_id, txn_id


def test_a_return_id_parses_back_to_itself_and_nothing_else_parses() -> None:
    assert return_id("ST-0042", 12346) == "RT-ST-0042-T00012346"
    assert parse_return_id("RT-ST-0042-T00012346") == ("ST-0042", 12346)
    assert parse_return_id("RT-ST-0042-T123456789") == ("ST-0042", 123456789)
    for other in (
        "ST-0042-T00012346",  # a sale's transaction
        "RT-ST-0042-T0012346",  # padded otherwise
        "RT-ST-0042-T000123456",
        "RT--T00012346",  # no store
        "RT-ST-0042-T0001234x",
        "RMA-W-0000001",
        "RT-ST-0042",
    ):
        assert parse_return_id(other) is None, other


def test_zfill_pads_as_the_format_spec_does() -> None:
    for number in (0, 7, 12346, 10**TXN_DIGITS - 1, 10**TXN_DIGITS, 123456789012, -5):
        assert txn_id("ST-0001", number) == f"ST-0001-T{number:0{TXN_DIGITS}d}"


def test_what_the_tills_ring_up_is_numbered_so_and_their_returns_parse_back() -> None:
    stores = ["ST-0001", "ST-0002"]
    env = simpy.Environment()
    pos = Pos(
        env,
        random.Random(3),
        PosConfig(60.0, 0.0, 60.0),
        stores,
        {("SKU-1", store): 50 for store in stores},
        lambda _kind, _payload: None,
        lambda _ref, _store: None,
    )
    sale = pos.walk_in_sale("ST-0002", [("SKU-1", 1, 999, 200)])
    returned = pos.counter_return("ST-0001", "W-1", "web", [("SKU-1", 1, 999, 200)], True)
    again = pos.counter_return("ST-0002", "W-2", "web", [("SKU-1", 1, 999, 200)], False)
    assert sale == txn_id("ST-0002", 1)
    assert [parse_return_id(returned), parse_return_id(again)] == [("ST-0001", 2), ("ST-0002", 3)]
