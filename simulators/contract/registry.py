"""Every system, source and channel of the contract, by the name the URLs use.

Why a module of its own: the validators, the OpenAPI document and the tests all walk
the same three tables, and a system joins the contract by being added here once.
"""

from __future__ import annotations

from collections.abc import Mapping

from simulators.contract import (
    channels,
    erp,
    fraud,
    lifecycle,
    marketplace,
    payment,
    pos,
    pricing,
    tax,
    web,
    wms,
)
from simulators.contract.credentials import GUARDABLE, guardable
from simulators.contract.tables import Channel, Source, System

__all__ = ["CHANNELS", "SOURCES", "SYSTEMS"]

#: the backends a hub calls: `POST /systems/{system}/{operation}`
#: (a backend a scenario can put behind access tokens, `simulators.credentials.GUARDABLE`,
#: has its token endpoint and its 401 added by `guardable`)
SYSTEMS: Mapping[str, System] = {
    system.name: guardable(system) if system.name in GUARDABLE else system
    for system in (
        erp.SYSTEM,
        wms.SYSTEM,
        pos.SYSTEM,
        payment.SYSTEM,
        marketplace.SYSTEM,
        tax.SYSTEM,
        fraud.SYSTEM,
    )
}
#: the systems that send a hub messages: `POST {hub}/webhooks/{source}`
SOURCES: Mapping[str, Source] = {
    source.name: source
    for source in (
        erp.SOURCE,
        wms.SOURCE,
        pos.SOURCE,
        web.SOURCE,
        marketplace.SOURCE,
        pricing.SOURCE,
        fraud.SOURCE,
        lifecycle.SOURCE,
    )
}
#: the channels a hub publishes to: `POST /channels/{channel}/{topic}`
CHANNELS: Mapping[str, Channel] = channels.CHANNELS
