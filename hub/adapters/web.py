"""The retailer's own storefront (web and click-and-collect orders, returns), and its
company side, the B2B portal (orders on account, and the companies' remittances)."""

from __future__ import annotations

from hub.adapters.errors import MalformedPayload
from hub.adapters.stock import row
from hub.messages import (
    InboundEvent,
    LineIn,
    OrderCancellationRequested,
    OrderReceived,
    RemittanceLineIn,
    RemittanceReceived,
    ReturnRequested,
)
from hub.model.order import Channel
from hub.ports import Body

SOURCE = "web"


def parse(payload: Body) -> InboundEvent:
    kind = payload.get("type")
    if kind == "order.created":
        pickup = payload.get("pickup_store") or ""
        company = str(payload.get("company_ref") or "")
        terms = payload.get("payment_terms") or {}
        return OrderReceived(
            Channel.B2B if company else Channel.CLICK_COLLECT if pickup else Channel.WEB,
            payload["order_ref"],
            payload["customer_ref"],
            float(payload["placed_at"]),
            tuple(
                [
                    row(
                        LineIn,
                        (
                            line["sku"],
                            int(line["qty"]),
                            int(line["unit_price_cents"]),
                            int(line["tax_cents"]),
                            int(line.get("list_price_cents", 0)),
                            str(line.get("promotion") or ""),
                        ),
                    )
                    for line in payload["lines"]
                ]
            ),
            pickup,
            str(payload.get("ship_to_region") or ""),
            company_id=company,
            po_number=str(payload.get("po_number") or ""),
            net_days=int(terms["due_in_days"]) if company else -1,
        )
    if kind == "order.cancel_requested":
        return OrderCancellationRequested(Channel.WEB, payload["order_ref"], float(payload["at"]))
    if kind == "return.requested":
        return ReturnRequested(
            Channel.WEB,
            payload["rma"],
            payload["order_ref"],
            tuple(LineIn(line["sku"], int(line["qty"])) for line in payload["lines"]),
            float(payload["at"]),
        )
    if kind == "remittance.sent":
        return _remittance(payload)
    raise MalformedPayload(f"web: unknown message type {kind!r}")


def _remittance(payload: Body) -> RemittanceReceived:
    """A company's payment advice from the store's B2B side: the money it sent, and on
    which of its orders (their invoices)."""
    return RemittanceReceived(
        str(payload["remittance_id"]),
        str(payload["company_ref"]),
        float(payload["sent_at"]),
        int(payload["amount_cents"]),
        tuple(
            RemittanceLineIn(
                str(line["order_ref"]), str(line.get("po_number") or ""), int(line["amount_cents"])
            )
            for line in payload["lines"]
        ),
    )


def status_notice(order_id: str, status: str, version: int, at: float) -> dict[str, object]:
    return {"order_ref": order_id, "status": status, "version": version, "at": at}
