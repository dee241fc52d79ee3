"""Where a price is charged: the vocabulary a scenario's promotions name their channels
in, kept apart from the pricing source that runs, as the fault vocabulary is."""

from __future__ import annotations

from enum import StrEnum


class PriceChannel(StrEnum):
    """The storefront (ship-to-home and click-and-collect alike), the marketplace's
    offers, and the stores' tills."""

    WEB = "web"
    MARKETPLACE = "marketplace"
    STORES = "stores"


#: the channels that sell online: where a basket promotion can run (the tills take none)
ONLINE = (PriceChannel.WEB, PriceChannel.MARKETPLACE)
