"""The `webhooks` section of the document: what the twin POSTs to a hub, one webhook per
source (`POST {hub}/webhooks/{source}`), the body one of the source's messages.

Delivery is the network's, so its promises are the network's: at least once, a 2xx
acknowledges, anything else (or silence past the timeout) is delivered again later, and
the scenario's duplicates and reordering apply on the way.
"""

from __future__ import annotations

from typing import Any

from simulators.contract.components import REF
from simulators.contract.face import WEBHOOK_HEADERS
from simulators.contract.registry import SOURCES
from simulators.contract.tables import Source

__all__ = ["DELIVERY", "webhooks"]

DELIVERY = (
    "Delivered at least once. Acknowledge with any 2xx once the message is safe with "
    "you; any other status, or no answer within the twin's timeout, and the twin "
    "delivers it again later, with the same `X-Message-Id`. On top of that the "
    "network delivers copies (`network.duplicate_rate` and `duplicate` faults), holds "
    "messages back so later ones overtake them (`reorder_rate`, `reorder` faults) and "
    "loses some until the broker redelivers them (`loss_rate`, `redelivery_delay`); a "
    "cut link holds its messages and delivers them, in order, when it heals. Messages "
    "from different sources are never ordered with respect to each other, and up to "
    "8 messages of one source are in flight at once, so they may reach you in another "
    "order than they were taken. Order by "
    "what the messages carry: stock reports' `seq`, times in simulated seconds."
)


def _webhook(source: Source) -> dict[str, Any]:
    messages = source.messages
    body = {
        "oneOf": [message.schema for message in messages.values()],
        "discriminator": {
            "propertyName": source.discriminator,
            "mapping": {kind: REF + message.schema["title"] for kind, message in messages.items()},
        },
    }
    kinds = ", ".join(f"`{kind}`" for kind in messages)
    return {
        "post": {
            "operationId": f"webhook_{source.name}",
            "tags": ["webhooks"],
            "summary": f"{source.title} to the hub: `POST {{hub}}/webhooks/{source.name}`",
            "description": (
                f"{source.description} The field `{source.discriminator}` names the "
                f"message's kind: {kinds}.\n\n{DELIVERY}"
            ),
            "parameters": WEBHOOK_HEADERS,
            "requestBody": {
                "required": True,
                "content": {
                    "application/json": {
                        "schema": body,
                        "examples": {
                            kind: {"summary": message.summary, "value": dict(message.example)}
                            for kind, message in messages.items()
                        },
                    }
                },
            },
            "responses": {
                "2XX": {
                    "description": "Acknowledged: the twin does not deliver it again (a "
                    "network duplicate already on its way may still arrive)."
                },
                "default": {"description": "Not acknowledged: delivered again later."},
            },
        }
    }


def webhooks() -> dict[str, Any]:
    """The section, keyed by source."""
    return {name: _webhook(source) for name, source in SOURCES.items()}
