"""The prices the hub holds per channel, on SQLite and PostgreSQL alike: a row upserted
again is replaced, never duplicated; the promotions grouped from them page the same
either way, with the same counts, discounts and staleness on both databases."""

from __future__ import annotations

from read_model_lists_support import run

from hub.adapters.read_model import PromotionFilter, ReadModel, Window
from hub.adapters.read_model.keyset import Page
from hub.adapters.read_model.price_queries import PromotionRecord
from hub.adapters.read_model.records import ChannelPriceRecord

NOW = 5000.0


def held(
    sku: str, channel: str, promotion: str, pushed: bool, *, cents: int = 700
) -> ChannelPriceRecord:
    return ChannelPriceRecord(
        sku=sku,
        channel=channel,
        price_cents=cents,
        list_price_cents=1000,
        promotion=promotion,
        version=4,
        heard_at=1000.0,
        pushed_version=4 if pushed else 1,
        pushed_at=1002.0 if pushed else 10.0,
        updated_at=4000.0,
    )


#: promotions P-00 to P-11, each over two SKUs in web (pushed) and stores (only the
#: even ones pushed)
PRICES = [
    held(f"SKU-{n}{half}", channel, f"P-{n:02d}", channel == "web" or n % 2 == 0)
    for n in range(12)
    for half in ("a", "b")
    for channel in ("web", "stores")
]


async def walk(rm: ReadModel, where: PromotionFilter, from_end: bool) -> list[PromotionRecord]:
    seen: list[PromotionRecord] = []
    cursor = None
    while True:
        window = Window(5, before=cursor, from_end=True) if from_end else Window(5, after=cursor)
        page: Page[PromotionRecord] = await rm.promotions_page(where, window)
        seen = page.items + seen if from_end else seen + page.items
        more = page.has_previous if from_end else page.has_next
        if not more:
            return seen
        cursor = page.keys[0] if from_end else page.keys[-1]


def test_promotions_page_alike_forward_and_back(database_url: str) -> None:
    async def act(rm: ReadModel) -> tuple[list[PromotionRecord], ...]:
        await rm.write_channel_prices(PRICES)
        # a price heard again (a newer change) replaces its row
        await rm.write_channel_prices([held("SKU-0a", "web", "P-00", True, cents=600)])
        await rm.put_document("run", {"sim_time_s": NOW})
        return (
            await walk(rm, PromotionFilter(), from_end=False),
            await walk(rm, PromotionFilter(), from_end=True),
            await walk(rm, PromotionFilter(channel="stores", active_only=True), from_end=False),
        )

    forward, back, stores = run(database_url, act)
    assert [p.name for p in forward] == [f"P-{n:02d}" for n in range(12)] == [p.name for p in back]
    assert forward == back
    first = forward[0]
    assert (first.sku_count, first.price_count, first.unpushed_count) == (2, 4, 0)
    assert (first.min_percent_off, first.max_percent_off) == (30.0, 40.0)
    assert first.channels == ("stores", "web") and first.stale_s == 0.0
    odd = forward[1]
    assert odd.unpushed_count == 2 and odd.stale_s == NOW - 1000.0
    # in the stores alone, only the even promotions were pushed
    assert [p.name for p in stores] == [f"P-{n:02d}" for n in range(0, 12, 2)]
    assert all(p.channels == ("stores",) and p.price_count == 2 for p in stores)


def test_each_sku_s_prices_with_their_staleness(database_url: str) -> None:
    async def act(rm: ReadModel) -> dict[str, list[tuple[str, bool, float]]]:
        await rm.write_channel_prices(PRICES)
        await rm.put_document("run", {"sim_time_s": NOW})
        found = await rm.prices_by_sku(["SKU-1a", "SKU-2a", "SKU-NONE"])
        return {
            sku: [(h.price.channel, h.price.unpushed, h.stale_s) for h in rows]
            for sku, rows in found.items()
        }

    assert run(database_url, act) == {
        "SKU-1a": [("stores", True, NOW - 1000.0), ("web", False, 0.0)],
        "SKU-2a": [("stores", False, 0.0), ("web", False, 0.0)],
        "SKU-NONE": [],
    }
