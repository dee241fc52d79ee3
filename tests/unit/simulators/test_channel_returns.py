"""A channel's returns, packed one bytes object per order, read back as the dict of
lists of `ReturnOpened` they replace would give them: the same ids, lines, times and
order, refs in the order their first return was opened."""

from __future__ import annotations

from simulators.channel_returns import ReturnOpened, ReturnsOpened


def test_returns_read_back_as_opened_in_the_order_opened() -> None:
    returns, reference = ReturnsOpened(), dict[str, list[ReturnOpened]]()
    asked = [
        ("RMA", "W-0000002", [("SKU-1", 1)], 1.5),
        ("RMA", "W-0000001", [("SKU-2", 2), ("SKU-1", 1)], 2.25),
        ("RMA", "W-0000002", [("SKU-1", 1)], 0.1 + 0.2),
        ("MPR", "W-0000002", [("SKU-3", 30)], 1e9 / 7),
    ]
    for prefix, ref, lines, at in asked:
        made = returns.open(prefix, ref, lines, at)
        reference.setdefault(ref, []).append(made)
    assert dict(returns) == reference
    assert list(returns) == ["W-0000002", "W-0000001"]
    assert [r.id for r in returns["W-0000002"]] == [
        "RMA-W-0000002",
        "RMA-W-0000002-2",
        "MPR-W-0000002-3",
    ]
    assert returns["W-0000002"][1].opened_at == 0.1 + 0.2  # exact
    assert returns["W-0000002"][0].lines is returns["W-0000002"][1].lines  # one copy
    assert "W-0000003" not in returns and len(returns) == 2
