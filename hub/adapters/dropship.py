"""Drop-ship partners' messages (simulators/dropship.py): they speak the WMS's dialect
for picks and shipment notices, and add a PO acknowledgement and a stock feed. Every
partner's messages come from one source; each names its location (`dc`)."""

from __future__ import annotations

from hub.adapters import wms
from hub.adapters.errors import MalformedPayload
from hub.adapters.stock import wms_stock
from hub.messages import InboundEvent, PurchaseOrderAcknowledged, StockFeedReceived
from hub.ports import Body

SOURCE = "dropship"


def parse(payload: Body) -> InboundEvent:
    kind = payload.get("msg")
    if kind in ("ORDER_PICKED", "SHIPMENT_CONFIRMED"):
        return wms.parse(payload)
    if kind == "PO_ACKNOWLEDGED":
        return PurchaseOrderAcknowledged(
            payload["orderRef"], payload["dc"], float(payload["ts"]), int(payload.get("leg", 1))
        )
    if kind == "STOCK_FEED":
        return StockFeedReceived(
            payload["dc"], wms_stock(payload["dc"], payload["stock"]), float(payload["ts"])
        )
    raise MalformedPayload(f"dropship: unknown message {kind!r}")
