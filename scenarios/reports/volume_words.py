"""The day's volumes as a sentence, for the terminal's verdict and the HTML report alike:
'2,229 channel orders (1,570 web, 420 marketplace, 239 click-and-collect), ...', never a
raw mapping of channel keys."""

from __future__ import annotations

from typing import Any

__all__ = ["volumes_line"]

#: how a channel's orders read in the volumes line
_CHANNEL_WORDS = {
    "web": "web",
    "marketplace": "marketplace",
    "click_collect": "click-and-collect",
    "b2b": "from companies",
}


def volumes_line(metrics: dict[str, Any]) -> str:
    """'2,229 channel orders (1,570 web, 420 marketplace, 239 click-and-collect), ...'."""
    volumes, oversell = metrics["volumes"], metrics["oversell"]
    by_channel = sorted(volumes["orders_by_channel"].items(), key=lambda item: (-item[1], item[0]))
    channels = ", ".join(
        f"{count:,} {_CHANNEL_WORDS.get(channel, channel.replace('_', ' '))}"
        for channel, count in by_channel
    )
    return (
        f"{volumes['channel_orders']:,} channel orders ({channels}), "
        f"{volumes['store_sales']:,} store sales, {volumes['returns']:,} returns; "
        f"{oversell['oversold_units']:,} units oversold; "
        f"{volumes['duplicates_delivered']:,} duplicates and "
        f"{volumes['reordered_messages']:,} reordered messages on the wire"
    )
