"""The return notices the checker reads are the channels' own, read when asked: the
mapping a dict gathered from every channel would be, without a second copy."""

from __future__ import annotations

import simpy

from scenarios.checking.traces import ChannelReturnNotices
from simulators.channel_returns import ReturnNotice
from simulators.marketplace import Marketplace
from simulators.storefront import Storefront


def test_the_channels_notices_read_as_the_dict_gathered_from_them() -> None:
    env = simpy.Environment()
    web = Storefront(env, lambda _kind, _body: None)
    market = Marketplace(env, lambda _kind, _body: None, 900.0, 300.0)
    market.return_statuses.add("MPR-1", "received", 1.0, 2.0)
    web.return_statuses.add("RMA-2", "authorised", 3.0, 4.0)
    market.return_statuses.add("RMA-2", "refunded", 5.0, 6.0)
    web.return_statuses.add("RMA-3", "rejected", 7.0, 8.0)
    gathered: dict[str, list[ReturnNotice]] = {}
    for channel in (web, market):
        for return_id, received in channel.return_statuses.items():
            gathered.setdefault(return_id, []).extend(received)
    notices = ChannelReturnNotices((web, market))
    assert list(notices.items()) == list(gathered.items())
    assert len(notices) == 3 and "RMA-2" in notices and "RMA-9" not in notices
    assert notices.get("RMA-9", []) == []
