"""The estate's end of an external hub (`Estate.external_hub`): the systems' messages
go into the webhook sender, the day's milestones become lifecycle messages, and the
runner asks it whether the hub has gone quiet.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from scenarios.twin.external.gate import BackendGate
from scenarios.twin.external.webhooks import WebhookSender

#: the source name of the twin's own lifecycle messages (`day.started`, `day.closing`)
TWIN = "twin"
#: message ids of the lifecycle messages, unique within source `twin`
DAY_STARTED_ID = 1
DAY_CLOSING_ID = 2
#: simulated seconds without a call or publish from the hub and without a webhook it
#: acknowledged, with every webhook acknowledged, before the estate counts as settled:
#: the hub has nothing left to say
QUIET_S = 300.0


class ExternalHub:
    """An external hub as the estate sees it: a URL, the broker to it, the gate from it."""

    def __init__(self, url: str, sender: WebhookSender, sim_now: Callable[[], float]) -> None:
        self.url = url
        self.sender = sender
        #: the gate the hub's calls come in by, opened once the estate it leads into
        #: is built (`open_gate`)
        self.gate: BackendGate | None = None
        self._sim_now = sim_now

    def open_gate(self, gate: BackendGate) -> None:
        self.gate = gate

    def receive(self, source: str, message_id: int, payload: dict[str, Any]) -> None:
        self.sender.send(source, message_id, payload)

    def close_day(self, at_s: float) -> None:
        """Tell the hub to close the trading day (last store summaries, a full feed)."""
        self.sender.send(TWIN, DAY_CLOSING_ID, {"type": "day.closing", "at": at_s})

    def idle(self) -> bool:
        """The hub has gone quiet: every webhook acknowledged, and `QUIET_S` since it
        last called, published or took a message. A hub answers a webhook before it
        acts on it (the minimal example's refund call leaves a millisecond after its
        200, a store's takings wait for its summary timer), so quiet counted from its
        calls alone could end the run between the two when the day's last message came
        after a quiet spell (a late redelivery during the settling): what the hub did
        about it was refused as "the run is over", and judged lost."""
        if self.gate is None:
            return False
        heard_at = max(self.gate.last_heard_at, self.sender.last_taken_at)
        return self.sender.pending() == 0 and self._sim_now() - heard_at >= QUIET_S

    def gauges(self) -> dict[str, float]:
        counts = self.sender.counts
        return {
            "webhooks_pending": float(self.sender.pending()),
            "webhooks_redelivered": float(counts.redelivered),
            "hub_calls_received": float(self.gate.calls if self.gate is not None else 0),
        }

    def report(self) -> dict[str, int]:
        """What crossed the boundary, for report.json's `external_hub`: a hub that stops
        answering shows as webhooks refused or unanswered, redelivered, and still
        unacknowledged at the end."""
        counts = self.sender.counts
        gate = self.gate
        return {
            "webhooks_sent": counts.accepted,
            "webhooks_delivered": counts.delivered,
            "webhooks_refused": counts.refused,
            "webhooks_unanswered": counts.unanswered,
            "webhooks_redelivered": counts.redelivered,
            "webhooks_unacknowledged_end": self.sender.pending(),
            "hub_calls": gate.calls if gate is not None else 0,
            "hub_calls_refused_by_contract": gate.refused if gate is not None else 0,
            "hub_publishes": gate.publishes if gate is not None else 0,
        }
