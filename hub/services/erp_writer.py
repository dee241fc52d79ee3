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
from hub.ports import Body
from hub.resilience.calls import DEAD_LETTERED, Call, ResultHandler


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
        self._ctx.calls.register(operation, self._on_result, retry_safe=False)

    def submit(
        self,
        operation: str,
        body: dict[str, Any],
        key: str,
        context: dict[str, Any] | None = None,
        stock: Posting | None = None,
        adjustment: bool = False,
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
        return self._ctx.calls.submit(erp.SYSTEM, operation, body, key, context)

    def _settle(self, call: Call, status: int, body: Body) -> None:
        """A final answer: the ledger hears how the posting ended, then its service.
        A dead-lettered posting is not final: it may be replayed and booked yet."""
        posting: Posting | None = call.context.get("ledger")
        if posting is not None and status != DEAD_LETTERED:
            del call.context["ledger"]
            self.ledger.settled(
                posting, booked=status < 300, counts_movements=not call.context["adjustment"]
            )
        self._handlers[call.operation](call, status, body)

    def _on_result(self, call: Call, status: int, body: Body) -> None:
        if status == 202:
            # a legacy batch interface: the outcome arrives later as an import result
            self._ctx.count("erp_writes_awaiting_import")
            self._awaiting_import[str(call.body.get("DocRef", ""))] = call
            return
        if status == 504:
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
                self._ctx.calls.retry_later(call, status, "timeout, retried blindly")
            return
        self._settle(call, status, body)

    def on_import_result(self, event: ImportResult) -> None:
        call = self._awaiting_import.pop(event.doc_ref, None)
        if call is None:
            return  # a repeated result for a document already settled
        self._settle(call, event.status, event.body)

    @property
    def awaiting_import(self) -> int:
        return len(self._awaiting_import)

    def _on_lookup(self, lookup: Call, status: int, body: Body) -> None:
        original: Call = lookup.context["original"]
        if status == 200:
            self._ctx.count("erp_timeouts_found_booked")
            self._settle(original, 200, body)
        elif status == 404:
            self._ctx.calls.retry_later(original, 504, "timeout; ERP has no such document")
        elif status == DEAD_LETTERED:
            self._settle(original, DEAD_LETTERED, body)
        else:
            self._ctx.calls.retry_later(original, status, f"lookup answered {status}")
