"""ERP writes whose outcome is unknown (a timeout): look before writing again.

A plain ERP books a second document when asked twice, so after a 504 the hub asks
whether a document with its reference exists, and only writes again if not. It asks
only after another timeout's worth of waiting: a request still queued in a busy ERP
would otherwise be booked after the lookup said "no such document".
"""

from __future__ import annotations

from hub_fakes import SKU, Harness, booked, quiet_policy, web_order


def _timed_out(h: Harness) -> None:
    h.deliver("web", web_order("W-1", [(SKU, 1)]))
    assert h.answer_open("erp", "create_sales_order", 504, {"error": "timeout"}) == 1


def test_lookup_waits_a_timeout_then_finds_the_booked_order() -> None:
    h = Harness()
    _timed_out(h)
    assert h.transport.sent("erp", "find_document") == []
    h.advance(h.policy.call_timeout_s)
    lookups = h.transport.open("erp", "find_document")
    assert [r.body for r in lookups] == [{"DocRef": "W-1"}]
    h.answer(lookups[0], 200, booked("SO-7"))
    assert h.order("W-1").erp_order_no == "SO-7"
    assert len(h.erp_creates()) == 1


def test_no_such_document_means_write_again() -> None:
    h = Harness()
    _timed_out(h)
    h.advance(h.policy.call_timeout_s)
    h.answer_open("erp", "find_document", 404, {"error": "no such document"})
    h.advance(h.policy.retry.max_delay_s)
    assert len(h.erp_creates()) == 2
    h.answer_open("erp", "create_sales_order", 201, booked("SO-8"))
    assert h.order("W-1").erp_order_no == "SO-8"


def test_without_idempotency_the_hub_writes_again_blindly() -> None:
    """Negative control: no lookup, so a booked-but-unanswered order is booked twice."""
    h = Harness(quiet_policy(idempotency=False))
    _timed_out(h)
    h.advance(h.policy.retry.max_delay_s)
    assert h.transport.sent("erp", "find_document") == []
    assert len(h.erp_creates()) == 2
