"""Re-authorisation when a capture finds the authorisation expired.

A gateway replays its stored answer for a repeated idempotency key, so a capture retried
under the same key after a re-authorisation would be told "expired" for ever. Each
capture after a re-authorisation must therefore be a new request, and the hub must give
up after a few re-authorisations and put the order in the exception queue.
"""

from __future__ import annotations

from hub_fakes import SKU, Harness, authorised, booked, web_order, wms_picked, wms_shipment

from hub.services.payment_leg import MAX_REAUTHORISATIONS


def _shipped(h: Harness) -> None:
    h.deliver("web", web_order("W-1", [(SKU, 1)]))
    h.answer_open("payment", "authorize", 200, authorised("auth_1"))
    h.answer_open("erp", "create_sales_order", 201, booked("SO-1"))
    h.answer_open("wms", "release_order", 202)
    h.deliver("wms", wms_picked("W-1"))
    h.deliver("wms", wms_shipment("W-1", "SHP1", [(SKU, 1, 0)], [(SKU, 9, 1)]))


def test_capture_after_reauthorisation_uses_a_new_key_and_succeeds() -> None:
    h = Harness()
    _shipped(h)
    first = h.transport.open("payment", "capture")
    assert len(first) == 1
    h.answer(first[0], 402, {"error": "authorization_expired"})

    reauth = h.transport.open("payment", "authorize")
    assert len(reauth) == 1
    h.answer(reauth[0], 200, authorised("auth_2"))

    second = h.transport.open("payment", "capture")
    assert len(second) == 1
    assert second[0].body["authorization"] == "auth_2"
    assert second[0].body["idempotency_key"] != first[0].body["idempotency_key"]
    h.answer(second[0], 200, {"id": "cap_1"})
    h.answer_open("erp", "post_delivery_invoice", 201, booked("INV-1"))
    order = h.order("W-1")
    assert order.payment_state == "captured"
    assert order.is_terminal


def test_a_re_authorisation_key_is_never_reused() -> None:
    h = Harness()
    _shipped(h)
    keys = []
    for n in range(2):
        h.answer_open("payment", "capture", 402, {"error": "authorization_expired"})
        reauth = h.transport.open("payment", "authorize")
        keys.append(reauth[0].body["idempotency_key"])
        h.answer(reauth[0], 200, authorised(f"auth_{n + 2}"))
    assert len(set(keys)) == 2


def test_authorisations_that_keep_expiring_end_in_the_exception_queue() -> None:
    h = Harness()
    _shipped(h)
    for n in range(MAX_REAUTHORISATIONS):
        assert h.answer_open("payment", "capture", 402, {"error": "authorization_expired"}) == 1
        assert h.answer_open("payment", "authorize", 200, authorised(f"auth_{n + 2}")) == 1
    assert h.answer_open("payment", "capture", 402, {"error": "authorization_expired"}) == 1

    assert h.transport.open("payment") == []
    order = h.order("W-1")
    assert order.reauthorisations == MAX_REAUTHORISATIONS
    assert order.payment_state == "failed"
    assert "authorization_expired" in order.exception
    # the goods left: the books still get the delivery, without money
    assert len(h.transport.sent("erp", "post_delivery_invoice")) == 1
