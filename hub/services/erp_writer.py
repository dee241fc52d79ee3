"""Writes to the ERP that survive timeouts without creating duplicates.

A timeout is an unknown outcome: the ERP may have booked the document and only the
answer was lost. A plain ERP creates a second document if asked twice, so before
retrying, the hub asks the ERP whether a document with our reference exists. With
idempotency switched off (a negative control) it retries blindly, and the checker must
then find duplicate sales orders.

Every posting that moves stock tells the hub's ERP stock ledger when it is sent and how
it ended, so reconciliation can tell a ledger that is merely behind from one that is
wrong.
"""

from __future__ import annotations

from typing import Any

from hub.adapters import erp
from hub.context import HubContext
from hub.messages import ImportResult
from hub.model.erp_ledger import ErpStockLedger, Posting
from hub.resilience.calls import Call, ResultHandler
from hub.resilience.results import (
    CallResult,
    DeadLettered,
    Ok,
    Rejected,
    Unknown,
    UnsafeCallResult,
    final_answer,
)


class ErpWriter:
    def __init__(self, ctx: HubContext) -> None:
        self._ctx = ctx
        self._handlers: dict[str, ResultHandler] = {}
        #: writes a legacy ERP accepted (202) for its next import run, by our reference
        self._awaiting_import: dict[str, Call] = {}
        self._counter_names: dict[str, str] = {}
        self.ledger = ErpStockLedger()
        ctx.calls.register("find_document", self._on_lookup)

    def on(self, operation: str, handler: ResultHandler) -> None:
        self._handlers[operation] = handler
        self._ctx.calls.register_retry_unsafe(operation, self._on_result)

    def submit(
        self,
        operation: str,
        body: dict[str, Any],
        key: str,
        context: dict[str, Any] | None = None,
        stock: Posting | None = None,
        adjustment: bool = False,
        more_stock: tuple[Posting, ...] = (),
    ) -> Call:
        """`stock`: the plant and signed quantities the posting books, as the hub means
        them (the body may say otherwise if the hub is broken); `adjustment`: it books a
        difference reconciliation found, not movements the hub heard."""
        counter = self._counter_names.get(operation)
        if counter is None:
            counter = self._counter_names[operation] = f"erp_{operation}_submitted"
        self._ctx.count(counter)
        if stock is not None and stock[1]:
            self.ledger.sent(stock)
            context = {**(context or {}), "ledger": stock, "adjustment": adjustment}
            # a posting at several plants (a split order's invoice): the others
            for other in more_stock:
                self.ledger.sent(other)
            if more_stock:
                context["ledger_more"] = more_stock
        return self._ctx.calls.submit(erp.SYSTEM, operation, body, key, context)

    def _settle(self, call: Call, result: CallResult) -> None:
        """A final answer: the ledger hears how the posting ended, then its service.
        A dead-lettered posting is not final: it may be replayed and booked yet."""
        posting: Posting | None = call.context.get("ledger")
        if posting is not None and not isinstance(result, DeadLettered):
            del call.context["ledger"]
            for settled in (posting, *call.context.pop("ledger_more", ())):
                self.ledger.settled(
                    settled,
                    booked=isinstance(result, Ok),
                    counts_movements=not call.context["adjustment"],
                )
        self._handlers[call.operation](call, result)

    def _on_result(self, call: Call, result: UnsafeCallResult) -> None:
        match result:
            case Ok(status=202):
                # a legacy batch interface: the outcome arrives later as an import result
                self._ctx.count("erp_writes_awaiting_import")
                self._awaiting_import[str(call.body.get("DocRef", ""))] = call
            case Unknown():
                self._on_unknown(call, result)
            case Ok() | Rejected() | DeadLettered():
                self._settle(call, result)

    def _on_unknown(self, call: Call, result: Unknown) -> None:
        self._ctx.count("erp_unknown_outcomes")
        if self._ctx.policy.idempotency:
            # ask only after another timeout's worth: a request still waiting in a
            # busy ERP's queue would otherwise be booked after a lookup said "no
            # such document", and the retry would book it twice
            self._ctx.calls.submit(
                erp.SYSTEM,
                "find_document",
                erp.find_document(call.body["DocRef"]),
                call.key,
                {"original": call},
                after_s=self._ctx.policy.call_timeout_s,
            )
        else:
            self._ctx.calls.retry_later(call, result.status, "timeout, retried blindly")

    def on_import_result(self, event: ImportResult) -> None:
        call = self._awaiting_import.pop(event.doc_ref, None)
        if call is None:
            return  # a repeated result for a document already settled
        self._settle(call, final_answer(event.status, event.body))

    @property
    def awaiting_import(self) -> int:
        return len(self._awaiting_import)

    def _on_lookup(self, lookup: Call, result: CallResult) -> None:
        """After a timeout: found means booked, not found means write again."""
        original: Call = lookup.context["original"]
        match result:
            case Ok(status=200):
                self._ctx.count("erp_timeouts_found_booked")
                self._settle(original, result)
            case Rejected(status=404):
                self._ctx.calls.retry_later(original, 504, "timeout; ERP has no such document")
            case DeadLettered():
                # the lookup waits in the dead-letter queue; replayed, it settles the write
                self._settle(original, result)
            case Ok(status=status) | Rejected(status=status):
                self._ctx.calls.retry_later(original, status, f"lookup answered {status}")
