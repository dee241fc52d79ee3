"""Adapters: each backend's own dialect translated to and from the canonical model.

Backends speak JSON-shaped payloads with their own field names (the marketplace says
`mpOrderId`, the ERP `ExternalRef`, the WMS `item`). Only these modules know those
names. A payload that does not parse raises `MalformedPayload`, which the hub turns into
a dead letter with the reason, so nothing accepted is silently dropped.
"""

from hub.adapters.errors import MalformedPayload

__all__ = ["MalformedPayload"]
