"""The ERP: the retailer's financial system of record and stock valuation.

It books sales orders, deliveries with their invoices, goods movements, store-sales
postings and credit memos, keeps a double-entry journal and a stock ledger per SKU and
location. It is also the system most likely to hurt an integration: a worker pool with
a queue behind it (a throughput limit), an API rate limit that answers 429, maintenance
windows and outages that answer 503, and now and then an answer lost after the work
was done, so the caller cannot tell whether it happened. A plain ERP creates a second
document when asked twice; only if the scenario says so does it treat our reference as
an idempotency key.

In `legacy_batch` mode it accepts nothing but documents dropped for the next import
run: each write is acknowledged with 202 at once and booked when the import runs, every
`import_interval_s`, after which the ERP sends the result back as a message.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import simpy

from simulators import erp_stock
from simulators.compact import NumberIndex
from simulators.erp_books import (
    CustomerPaymentBooking,
    ErpDocument,
    Items,
    Journal,
    SettlementBooking,
)
from simulators.interned import Interned
from simulators.later import now_of
from simulators.master_data import MasterData
from simulators.numbers import DOCUMENT_NUMBERS
from simulators.rate_limit import RateLimit
from simulators.records import RecordTable
from simulators.rng import LogNormal
from simulators.rpc import Reply
from simulators.service import ServiceStation
from simulators.types import Emit

__all__ = [
    "OPERATIONS",
    "READ_OPERATIONS",
    "WRITE_OPERATIONS",
    "CustomerPaymentBooking",
    "Erp",
    "ErpConfig",
    "ErpDocument",
    "Items",
    "Journal",
    "SettlementBooking",
]

WRITE_OPERATIONS = frozenset(
    {
        "create_sales_order",
        "cancel_sales_order",
        "post_delivery_invoice",
        "post_goods_movement",
        "post_store_sales",
        "post_credit_memo",
        "post_settlement",
        "post_customer_payment",
    }
)
#: what the ERP answers from its books without booking anything, in either mode
READ_OPERATIONS = ("find_document", "stock_snapshot")
#: every operation `Erp.handle` accepts; `simulators.contract.erp` documents each one
OPERATIONS = (*READ_OPERATIONS, *sorted(WRITE_OPERATIONS))


@dataclass(slots=True)
class ErpConfig:
    mode: str
    idempotent_refs: bool
    concurrency: int
    service_time_median_s: float
    service_time_p95_s: float
    rate_limit_per_s: float
    queue_limit: int
    import_interval_s: float
    lost_response_rate: float


class Erp:
    def __init__(
        self,
        env: simpy.Environment,
        rng: random.Random,
        config: ErpConfig,
        initial_stock: dict[tuple[str, str], int],
        emit: Emit,
    ) -> None:
        self._env = env
        self._rng = rng
        self.config = config
        self.mode = config.mode
        self._emit = emit
        self.station = ServiceStation(
            env,
            config.concurrency,
            LogNormal(rng, config.service_time_median_s, config.service_time_p95_s),
            config.queue_limit,
        )
        self.stock: dict[tuple[str, str], int] = dict(initial_stock)
        #: the materials and plants it knows: a document naming another is refused
        self.master = MasterData("ERP", initial_stock)
        self.journal = Journal()
        #: every document, by number, in booking order; a document leaves memory once
        #: final (booked, or a sales order invoiced or cancelled): simulators/records.py
        self.documents: RecordTable[ErpDocument] = RecordTable()
        #: our reference -> numbers of documents booked under it (more than one =
        #: duplicate); kept for the whole run, so each number is held as an int
        self.by_ref = NumberIndex(DOCUMENT_NUMBERS)
        #: the channel's order reference -> sales order numbers (held as ints too)
        self.sales_orders_by_external_ref = NumberIndex(DOCUMENT_NUMBERS)
        #: settlement id -> every booking of it (more than one = booked twice)
        self.settlements: dict[str, list[SettlementBooking]] = {}
        #: remittance id -> every booking of it (more than one = applied twice)
        self.customer_payments: dict[str, list[CustomerPaymentBooking]] = {}
        self._counters: dict[str, int] = {}
        self._interned = Interned()
        self.down = False
        self.rate_limit = RateLimit(env, config.rate_limit_per_s)
        self._import_queue: list[tuple[str, dict[str, Any]]] = []
        self._import_bookings = 0
        self.requests = 0
        self.throttled = 0
        self.refused_down = 0
        self.lost_responses = 0
        self.queue_samples_max = 0
        if self.mode == "legacy_batch":
            self._schedule_import()

    # -- the API -------------------------------------------------------------------

    def handle(self, operation: str, body: dict[str, Any], reply: Reply) -> None:
        self.requests += 1
        if self.down:
            self.refused_down += 1
            reply(503, {"error": "ERP unavailable"})
            return
        if not self.rate_limit.admit():
            self.throttled += 1
            reply(429, {"error": "rate limit", "retry_after_s": self.rate_limit.retry_after_s})
            return
        if self.mode == "legacy_batch" and operation in WRITE_OPERATIONS:
            self._import_queue.append((operation, body))
            reply(202, {"ImportId": f"IMP-{len(self._import_queue)}"})
            return

        def work() -> None:
            if self.down:  # went down while the request was queued
                reply(503, {"error": "ERP unavailable"})
                return
            status, answer = self._execute(operation, body)
            if self._rng.random() < self.config.lost_response_rate:
                self.lost_responses += 1
                return  # booked, but the answer never leaves the building
            reply(status, answer)

        if not self.station.submit(work):
            self.throttled += 1
            reply(429, {"error": "ERP busy", "retry_after_s": 5.0})
        elif self.station.queue_length > self.queue_samples_max:
            self.queue_samples_max = self.station.queue_length

    # -- legacy batch import ---------------------------------------------------------------

    def _schedule_import(self) -> None:
        """Book the next import run. Each booking supersedes any still pending, so a
        cutover back and forth never leaves two runs per interval."""
        self._import_bookings += 1
        event = self._env.timeout(self.config.import_interval_s, self._import_bookings)
        event.callbacks.append(self._import_due)

    def _import_due(self, event: Any) -> None:
        if event.value != self._import_bookings:
            return  # superseded by a later booking
        if self.mode == "legacy_batch" or self._import_queue:
            # in legacy mode the runs go on; after a cutover they go on only until the
            # last file is in (it waits while the ERP is down)
            self._schedule_import()
        self._run_import()

    def _run_import(self) -> None:
        if self.down:
            return  # the file waits for the next run
        batch, self._import_queue = self._import_queue, []
        for operation, body in batch:
            status, answer = self._execute(operation, body)
            self._emit(
                "import_result",
                {"type": "import_result", "DocRef": body.get("DocRef"), "Status": status, **answer},
            )

    def switch_mode(self, mode: str) -> None:
        """The cutover: from legacy batch imports to the API (or back). Going to the
        API, the last file is imported at once (or, with the ERP down, at the next run
        after it is back); going to legacy, import runs start an interval later."""
        previous, self.mode = self.mode, mode
        if previous == mode:
            return
        if mode == "legacy_batch":
            self._schedule_import()
        elif self._import_queue:
            self._run_import()

    # -- booking -------------------------------------------------------------------------

    def _number(self, prefix: str) -> str:
        n = self._counters.get(prefix, 0) + 1
        self._counters[prefix] = n
        return DOCUMENT_NUMBERS.format(prefix, n)

    def _book(
        self,
        kind: str,
        prefix: str,
        body: dict[str, Any],
        items: Items,
        *,
        external_ref: str = "",
        channel: str = "",
        reason: str = "",
    ) -> ErpDocument:
        """Book a document. Every kind but a sales order is final as booked; a sales
        order stays open until invoiced or cancelled (`_close`)."""
        ref = str(body.get("DocRef", ""))
        document = ErpDocument(
            self._number(prefix),
            kind,
            ref,
            now_of(self._env),
            str(body.get("Plant", "")),
            items,
            external_ref,
            channel,
            reason=reason,
        )
        self.documents.add(document.number, document)
        self.by_ref.add(ref, document.number)
        if kind != "sales_order":
            self.documents.finish(document.number)
        return document

    def _close(self, number: str, status: str) -> None:
        """A sales order invoiced or cancelled: final, unless a later call changes it
        again (`RecordTable.for_update` brings it back)."""
        order = self.documents.for_update(number)
        assert order is not None  # callers looked it up first
        order.status = status
        order.changed_at = now_of(self._env)
        self.documents.finish(number)

    def _items(self, body: dict[str, Any], qty: str = "Qty") -> Items:
        """The body's (material, qty) lines, each line (and a one-line document's
        whole items) the one shared copy of its value."""
        line = self._interned
        items = tuple([line((item["Material"], int(item[qty]))) for item in body["Items"]])
        return line(items) if len(items) == 1 else items

    def _execute(self, operation: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        try:
            return self._dispatch(operation, body)
        except (KeyError, TypeError, ValueError) as exc:
            return 400, {"error": f"bad request: {type(exc).__name__}: {exc}"}

    def _dispatch(self, operation: str, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if operation == "find_document":
            number = self.by_ref.first(body["DocRef"])
            if number is None:
                return 404, {"error": "no such document"}
            return 200, {"DocumentNo": number}
        if operation == "stock_snapshot":
            return 200, erp_stock.export(self.stock)
        if operation not in WRITE_OPERATIONS:
            return 404, {"error": f"unknown operation {operation}"}
        refused = self.master.unknown(body, "Items", "Material")
        if refused is not None:
            return 400, {"error": refused}
        ref = str(body.get("DocRef", ""))
        if self.config.idempotent_refs and ref in self.by_ref:
            return 200, {"DocumentNo": self.by_ref.first(ref)}
        return getattr(self, f"_{operation}")(body)  # type: ignore[no-any-return]

    def _create_sales_order(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        items = self._items(body)
        document = self._book(
            "sales_order",
            "SO",
            body,
            items,
            external_ref=str(body["ExternalRef"]),
            channel=str(body.get("Channel", "")),
        )
        self.sales_orders_by_external_ref.add(document.external_ref, document.number)
        return 201, {"DocumentNo": document.number}

    def _cancel_sales_order(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        order = self.documents.get(body["SalesOrder"])
        if order is None or order.kind != "sales_order":
            return 404, {"error": "no such sales order"}
        if order.status == "invoiced":
            return 409, {"error": "sales order already invoiced"}
        self._close(order.number, "cancelled")
        self._book("cancellation", "CX", body, ())
        return 200, {"DocumentNo": order.number}

    def _post_delivery_invoice(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        order = self.documents.get(body["SalesOrder"])
        if order is None or order.kind != "sales_order":
            return 404, {"error": "no such sales order"}
        items = self._items(body)
        document = self._book("invoice", "INV", body, items, external_ref=order.external_ref)
        self._close(order.number, "invoiced")
        for item in body["Items"]:  # a line shipped from another DC names its own plant
            plant = str(item.get("Plant", document.plant))
            self._move(plant, [(item["Material"], int(item["Qty"]))], -1)
        if body["Journal"]:
            self.journal.post(body["Journal"])
        return 201, {"DocumentNo": document.number}

    def _post_goods_movement(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        items = self._items(body, "QtyDelta")
        document = self._book(
            "goods_movement", "MD", body, items, reason=str(body.get("Reason", ""))
        )
        self._move(document.plant, items, 1)
        return 201, {"DocumentNo": document.number}

    def _post_store_sales(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        items = self._items(body)
        document = self._book("store_sales", "SS", body, items)
        self._move(document.plant, items, -1)
        self.journal.post(body["Journal"])
        return 201, {"DocumentNo": document.number}

    def _post_credit_memo(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        items = self._items(body, "QtyReturned")
        document = self._book(
            "credit_memo", "CM", body, items, external_ref=str(body.get("OrderRef", ""))
        )
        self._move(document.plant, items, 1)
        if body["Journal"]:  # goods back from an order never charged: no money moves
            self.journal.post(body["Journal"])
        return 201, {"DocumentNo": document.number}

    def _post_settlement(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        applied = {str(line["LineId"]): int(line["AppliedCents"]) for line in body["Lines"]}
        document = self._book("settlement", "PAY", body, ())
        booking = SettlementBooking(
            document.number, now_of(self._env), int(body["DepositCents"]), applied
        )
        self.settlements.setdefault(str(body["SettlementId"]), []).append(booking)
        self.journal.post(body["Journal"])
        return 201, {"DocumentNo": document.number}

    def _post_customer_payment(self, body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        applied: dict[str, int] = {}
        for line in body["Lines"]:
            ref = str(line["OrderRef"])
            applied[ref] = applied.get(ref, 0) + int(line["AppliedCents"])
        document = self._book(
            "customer_payment", "RC", body, (), external_ref=str(body.get("Customer", ""))
        )
        booking = CustomerPaymentBooking(
            document.number, now_of(self._env), int(body["DepositCents"]), applied
        )
        self.customer_payments.setdefault(str(body["RemittanceId"]), []).append(booking)
        self.journal.post(body["Journal"])
        return 201, {"DocumentNo": document.number}

    def _move(self, plant: str, items: Iterable[tuple[str, int]], sign: int) -> None:
        stock = self.stock
        for sku, qty in items:
            key = (sku, plant)
            stock[key] = stock.get(key, 0) + sign * qty

    # -- what the checker reads ---------------------------------------------------------------

    def documents_of(self, kind: str) -> list[ErpDocument]:
        return [d for d in self.documents.values() if d.kind == kind]

    @property
    def queue_length(self) -> int:
        return self.station.queue_length + self.station.busy + len(self._import_queue)
