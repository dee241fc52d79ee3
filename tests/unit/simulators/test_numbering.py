"""Document numbers held as ints read back as the very strings that were added, so the
ERP's and the carrier's indexes look to every reader as they always did."""

from __future__ import annotations

import pickle

import pytest

from simulators.carrier import Carrier
from simulators.compact import NumberIndex
from simulators.numbers import DOCUMENT_NUMBERS, SHIPMENT_NUMBERS, Numbering
from simulators.order_refs import format_ref

NUMBERS = Numbering(("SO", "INV", "CM"), 8)


@pytest.mark.parametrize(
    "number",
    ["SO00000001", "INV00000042", "CM99999999", "SO123456789", "SO00000000"],
)
def test_a_number_made_by_format_packs_to_an_int_and_back(number: str) -> None:
    packed = NUMBERS.pack(number)
    assert isinstance(packed, int)
    assert NUMBERS.unpack(packed) == number


def test_format_pads_to_the_width_and_refuses_a_prefix_outside_the_set() -> None:
    assert NUMBERS.format("INV", 42) == "INV00000042"
    assert NUMBERS.format("SO", 123456789) == "SO123456789"
    with pytest.raises(KeyError):
        NUMBERS.format("XX", 1)


@pytest.mark.parametrize("n", [0, 1, 42, 99999999, 123456789, -1, -7, -1234567, -123456789])
def test_format_and_unpack_pad_as_the_format_spec_would(n: int) -> None:
    """`zfill` stands in for `{n:08d}` (the cheaper of the two): the same string, the
    sign before the zeros, for every number a backend could make."""
    assert NUMBERS.format("SO", n) == f"SO{n:08d}"
    assert NUMBERS.unpack(NUMBERS.pack(f"CM{n:08d}")) == f"CM{n:08d}"
    assert format_ref("W", n) == f"W-{n:07d}"


@pytest.mark.parametrize(
    "number", ["XX00000001", "SO0001", "SO", "", "SO-00000001", "so00000001", "SO000000001"]
)
def test_a_number_format_would_not_make_is_kept_as_the_string(number: str) -> None:
    assert NUMBERS.pack(number) == number
    assert NUMBERS.unpack(NUMBERS.pack(number)) == number


@pytest.mark.parametrize(("prefix", "n"), [("SO", 1), ("CM", 0), ("INV", 123456789), ("SO", -7)])
def test_the_number_just_made_packs_as_the_same_string_parsed_would(prefix: str, n: int) -> None:
    made = NUMBERS.format(prefix, n)  # `pack` takes the number made last without parsing
    parsed = Numbering(("SO", "INV", "CM"), 8).pack("".join(made))
    assert NUMBERS.pack(made) == parsed
    assert NUMBERS.unpack(NUMBERS.pack(made)) == made


def test_two_prefixes_never_pack_to_the_same_int() -> None:
    packed = {NUMBERS.pack(NUMBERS.format(p, n)) for p in ("SO", "INV", "CM") for n in range(50)}
    assert len(packed) == 150


def test_a_prefix_with_a_digit_is_refused() -> None:
    with pytest.raises(ValueError, match="no digits"):
        Numbering(("SO1",), 8)


def test_an_index_reads_back_lists_of_the_strings_added_in_order() -> None:
    index = NumberIndex(NUMBERS)
    index.add("INV-W-1", "INV00000001")
    index.add("SO-W-1", "SO00000001")
    index.add("SO-W-1", "SO00000007")
    index.add("odd", "legacy-7")
    assert index["INV-W-1"] == ["INV00000001"]
    assert index.get("SO-W-1") == ["SO00000001", "SO00000007"]
    assert index["odd"] == ["legacy-7"]
    assert all(type(n) is str for numbers in index.values() for n in numbers)
    assert index.first("SO-W-1") == "SO00000001"
    assert index.first("nothing") is None
    assert index.get("nothing") is None
    assert index.get("nothing", []) == []
    assert "SO-W-1" in index and "nothing" not in index
    assert list(index) == ["INV-W-1", "SO-W-1", "odd"]
    index["SO-W-1"] = ["SO00000002"]
    del index["odd"]
    assert dict(index) == {"INV-W-1": ["INV00000001"], "SO-W-1": ["SO00000002"]}
    assert dict(pickle.loads(pickle.dumps(index))) == dict(index)


def test_the_erps_and_the_wms_numbers_pack() -> None:
    for prefix in ("SO", "CX", "INV", "MD", "SS", "CM", "PAY", "RC"):
        number = DOCUMENT_NUMBERS.format(prefix, 12)
        assert isinstance(DOCUMENT_NUMBERS.pack(number), int)
    assert SHIPMENT_NUMBERS.format("SHP", 3) == "SHP00000003"
    assert isinstance(SHIPMENT_NUMBERS.pack("SHP00000003"), int)


def test_the_carrier_gives_back_an_orders_shipment_numbers_as_strings() -> None:
    import random

    carrier = Carrier(random.Random(1))
    carrier.dispatch("SHP00000001", "W-1", "DC-1", "north", "north", 0, 10.0)
    carrier.dispatch("SHP00000002", "W-1", "DC-2", "south", "north", 1, 11.0)
    assert carrier.by_order["W-1"] == ["SHP00000001", "SHP00000002"]
    assert [p.shipment_no for p in carrier.of_order("W-1")] == ["SHP00000001", "SHP00000002"]


def test_the_erps_indexes_give_back_the_numbers_it_answered_with() -> None:
    import random

    import simpy

    from simulators.erp import Erp, ErpConfig

    env = simpy.Environment()
    erp = Erp(
        env,
        random.Random(1),
        ErpConfig("api", False, 4, 0.1, 0.2, 0.0, 100, 900.0, 0.0),
        {("S1", "DC1"): 0},  # its material and plant master
        lambda kind, body: None,
    )
    answers: list[tuple[int, dict[str, object]]] = []

    def ask(operation: str, body: dict[str, object]) -> None:
        erp.handle(
            operation, body, lambda status, answer, delay_s=0.0: answers.append((status, answer))
        )
        env.run(until=env.now + 60.0)

    order = {
        "DocRef": "W-1",
        "ExternalRef": "W-1",
        "Plant": "DC1",
        "Items": [{"Material": "S1", "Qty": 1}],
    }
    ask("create_sales_order", order)
    ask("create_sales_order", order)  # a plain ERP books a second one
    first, second = (str(answer["DocumentNo"]) for _, answer in answers)
    assert (first, second) == ("SO00000001", "SO00000002")
    assert erp.by_ref["W-1"] == [first, second]
    assert erp.sales_orders_by_external_ref["W-1"] == [first, second]
    assert all(erp.documents[no].ref == "W-1" for no in erp.by_ref["W-1"])
    ask("find_document", {"DocRef": "W-1"})
    assert answers[-1] == (200, {"DocumentNo": "SO00000001"})
