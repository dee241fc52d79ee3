"""The contract between the twin and a hub under test, as data: every backend operation
a hub may call with its request and answers, every message the systems send a hub, every
topic a hub publishes to the channels, as JSON Schema (draft 2020-12); the validators
the HTTP face checks requests with; and the OpenAPI 3.1 document assembled from them
(`scripts/contract.py` writes it to docs/contract.openapi.json).

The operations of each backend are its simulator's `OPERATIONS` tuple, and a test holds
the two to the same set, so a simulator cannot grow an operation the contract does not
document.
"""

from simulators.contract.registry import CHANNELS, SOURCES, SYSTEMS
from simulators.contract.validation import (
    UnknownEndpoint,
    correlation_id,
    known,
    known_topic,
    validate_answer,
    validate_message,
    validate_publish,
    validate_request,
)
from simulators.contract.wire import published, requested

__all__ = [
    "CHANNELS",
    "SOURCES",
    "SYSTEMS",
    "UnknownEndpoint",
    "correlation_id",
    "known",
    "known_topic",
    "published",
    "requested",
    "validate_answer",
    "validate_message",
    "validate_publish",
    "validate_request",
]
