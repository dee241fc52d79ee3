"""The shape of the contract: what a system's API answers, what a system sends the hub,
what a channel takes from it.

Why a module of its own: each system's module (`erp.py`, `wms.py`, ...) fills these in as
plain data, and the validators and the OpenAPI document are both read off them, so what
the HTTP face enforces and what the document promises cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from simulators.contract.schema import Schema

__all__ = ["Answer", "Channel", "Message", "Operation", "Source", "System", "Topic"]


@dataclass(frozen=True, slots=True)
class Answer:
    """One status a call can be answered with, when, and the body that comes with it."""

    status: int
    when: str
    body: Schema


@dataclass(frozen=True, slots=True)
class Operation:
    """One operation of a backend's API: `POST /systems/{system}/{operation}`."""

    summary: str
    description: str
    request: Schema
    #: the answers of this operation alone; the system's `failures` come on top
    answers: tuple[Answer, ...]
    #: a request the built-in hub would send (the document's example, and the tests')
    example: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class System:
    """A backend the hub calls: its operations, keyed exactly as its simulator's
    `OPERATIONS` tuple, and the failures any of them may answer."""

    name: str
    title: str
    description: str
    operations: Mapping[str, Operation]
    failures: tuple[Answer, ...]

    def answers(self, operation: str) -> dict[int, list[Answer]]:
        """Every answer `operation` can give, its own and the system's failures, by
        status (one status can have several reasons)."""
        by_status: dict[int, list[Answer]] = {}
        for answer in (*self.operations[operation].answers, *self.failures):
            by_status.setdefault(answer.status, []).append(answer)
        return dict(sorted(by_status.items()))


@dataclass(frozen=True, slots=True)
class Message:
    """One kind of message a system sends the hub (a webhook body)."""

    summary: str
    schema: Schema
    #: the payload field holding the business key (`X-Correlation-Id`); "" for none
    correlation: str
    example: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Source:
    """A system that sends the hub messages: `POST {hub}/webhooks/{source}`. Each
    source speaks its own dialect, so the field that names a message's kind differs."""

    name: str
    title: str
    description: str
    #: the payload field whose value is the message's kind ("type", "msg", "kind", ...)
    discriminator: str
    messages: Mapping[str, Message]


@dataclass(frozen=True, slots=True)
class Topic:
    """One kind of update the hub publishes to a channel: `POST /channels/{channel}/{topic}`."""

    summary: str
    description: str
    schema: Schema
    example: Mapping[str, Any]


@dataclass(frozen=True, slots=True)
class Channel:
    name: str
    title: str
    description: str
    topics: Mapping[str, Topic]
