"""The pieces of the ERP's contract that more than one document type uses: the chart
of accounts, the journal, document references and the answers every write can get.
Apart from simulators/contract/erp.py so the settlement contract can book through the
same journal without importing the ERP's whole API.
"""

from __future__ import annotations

from simulators.contract.schema import Schema, array, integer, obj, string
from simulators.contract.tables import Answer

#: the ERP's chart of accounts, as far as integrations post to it
ACCOUNTS = (
    "1000-cash",
    "1210-marketplace-receivable",
    "1220-trade-receivables",
    "1290-settlement-claims",
    "2200-tax-payable",
    "2300-unapplied-cash",
    "4000-revenue",
    "4050-sales-discounts",
    "4100-sales-returns",
    "6100-marketplace-fees",
    "6150-chargebacks",
    "6300-tax-true-up",
)

MATERIAL = string("The SKU.")
PLANT = string("The location the document is about: a DC or a store.")


def doc_ref(convention: str) -> Schema:
    return string(
        "Your reference of this write, unique to the business fact it records: the ERP "
        "keeps a list of documents per DocRef, `find_document` looks it up, and with "
        "`idempotent_refs` a second write under it books nothing. The checker counts "
        f"more than one document per DocRef as a duplicate. {convention}",
        min_length=1,
    )


JOURNAL = array(
    obj(
        "One line of a double-entry posting, in cents.",
        {
            "account": string("The account.", enum=ACCOUNTS),
            "dr": integer("Debit, cents.", minimum=0),
            "cr": integer("Credit, cents.", minimum=0),
        },
        title="ErpJournalLine",
    ),
    "A balanced posting (debits equal credits); the checker holds the ERP's cash to the "
    "money the gateway and tills moved. Empty when no money moved.",
)


def items(
    quantity_field: str,
    quantity: Schema,
    extra: dict[str, Schema] | None = None,
    optional: dict[str, Schema] | None = None,
) -> Schema:
    return array(
        obj(
            "One line.",
            {"Material": MATERIAL, quantity_field: quantity, **(extra or {})},
            optional,
        ),
        "The lines.",
    )


DOCUMENT = obj(
    "The ERP's document number.",
    {"DocumentNo": string("The document's number (SO..., INV..., MD..., SS..., CM..., CX...).")},
    title="ErpDocument",
)
IMPORT_TICKET = obj(
    "Accepted for the next import run (legacy_batch mode).",
    {"ImportId": string("The file entry's id.")},
    title="ErpImportTicket",
)


def write_answers(*refusals: Answer, booked: int = 201) -> tuple[Answer, ...]:
    return (
        Answer(booked, "Booked.", DOCUMENT),
        Answer(
            200,
            "With the scenario's `backends.erp.idempotent_refs` on, this DocRef was booked "
            "before: the first document under it, and nothing booked now.",
            DOCUMENT,
        ),
        *refusals,
        Answer(
            202,
            "`legacy_batch` mode: put in the file for the next import run (every "
            "`import_interval`); the outcome comes later as an `import_result` message.",
            IMPORT_TICKET,
        ),
    )


WRITE_NOTE = (
    " A plain ERP books a second document when the same write arrives twice, and an "
    "answer can be lost after the work was done: after a timeout, ask `find_document` "
    "with the same DocRef before writing again."
)
