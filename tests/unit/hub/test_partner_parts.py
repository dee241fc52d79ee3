"""Lines of a drop-shipped SKU go to its partner whatever the sourcing rule says."""

from hub.model.sourcing import Part, partner_parts


def test_partner_lines_leave_the_dcs_the_rest() -> None:
    skus = ["A", "P1", "B", "P2", "P1b"]
    partner_of = {"P1": "DS-ONE", "P1b": "DS-ONE", "P2": "DS-TWO"}
    left, parts = partner_parts(skus, partner_of)
    assert left == [0, 2]
    assert parts == [Part("DS-ONE", (1, 4)), Part("DS-TWO", (3,))]


def test_no_partner_sku_no_partner_part() -> None:
    assert partner_parts(["A", "B"], {"P": "DS-ONE"}) == ([0, 1], [])
