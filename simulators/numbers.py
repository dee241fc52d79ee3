"""The numbers backends give the records they keep all run, in one place.

An ERP document is numbered by its kind's prefix and a running number per prefix
(`SO00000042`), a parcel by the WMS's running shipment number (`SHP00000042`). The
indexes that keep these numbers for the checker hold them as ints
(`simulators.compact.NumberIndex`), which is safe only if what formats a number and
what parses it agree: both go through the `Numbering` here.
"""

from __future__ import annotations

from simulators.compact import Numbering

__all__ = ["DOCUMENT_NUMBERS", "SHIPMENT_NUMBERS"]

#: an ERP document's number (simulators/erp.py): sales order, cancellation, invoice,
#: goods movement, store sales, credit memo, settlement, customer payment
DOCUMENT_NUMBERS = Numbering(("SO", "CX", "INV", "MD", "SS", "CM", "PAY", "RC"), 8)
#: a parcel's shipment number (simulators/wms.py), which the carrier indexes by order
SHIPMENT_NUMBERS = Numbering(("SHP",), 8)
