"""A channel's returns, packed one bytes object per order, read back as the dict of
lists of `ReturnOpened` they replace would give them: the same ids, lines, times and
order, refs in the order their first return was opened."""

from __future__ import annotations

import pytest

from scenarios.twin import record_spill
from scenarios.twin.record_spill import SqliteRecords, open_spill
from simulators.channel_returns import (
    Packed,
    ReturnNotice,
    ReturnNotices,
    ReturnOpened,
    ReturnsOpened,
)


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


@pytest.mark.parametrize("batch", [0, 1, 3, record_spill.BATCH])
def test_returns_and_notices_sealed_into_the_runs_file_read_back_the_same(
    batch: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With the run's store (batch > 0) every key's records leave memory as they are
    added to, and one added to later comes back for it: read back, by key, by scan and
    in order, they are what the dict of lists held."""
    returns, notices = ReturnsOpened(), ReturnNotices()
    if batch:
        monkeypatch.setattr(record_spill, "BATCH", batch)
        db = open_spill()
        returns.seal_into(SqliteRecords(db, "returns", Packed))
        notices.seal_into(SqliteRecords(db, "notices", Packed))
    opened: dict[str, list[ReturnOpened]] = {}
    heard: dict[str, list[ReturnNotice]] = {}
    for n in range(40):
        ref = f"W-{n % 7:07d}"  # a customer sends another line back later
        made = returns.open("RMA", ref, [(f"SKU-{n % 3}", 1 + n % 2)], n * 0.1)
        opened.setdefault(ref, []).append(made)
        for k in range(1 + n % 3):
            rid = [r.id for rs in opened.values() for r in rs][(n * 5 + k) % (n + 1)]
            notices.add(rid, ("authorised", "received", "refunded")[k], n + k * 0.5, n + k)
            heard.setdefault(rid, []).append(
                ReturnNotice(("authorised", "received", "refunded")[k], n + k * 0.5, n + k)
            )
    assert list(returns.items()) == list(opened.items())
    assert list(returns.values()) == list(opened.values())
    assert dict(notices) == heard and list(notices) == list(heard)
    assert returns["W-0000003"] == opened["W-0000003"]
    assert notices.get("RMA-W-9999999") is None and "W-9999999" not in returns
    assert len(returns) == len(opened) and len(notices) == len(heard)
    if batch:
        assert returns._packed.in_memory() == 0 and notices._packed.in_memory() == 0
