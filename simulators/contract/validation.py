"""Checking JSON against the contract: what a hub sends (requests to backends, publishes
to channels) and what the twin sends back (answers, messages).

The HTTP face calls `known` and `validate_request` (or `known_topic` and
`validate_publish`) before a body reaches a simulator, and answers 404 or 422 with the
problems; the truthfulness test calls `validate_answer` and `validate_message` on
everything the twin says in a run, so the document cannot promise what the simulators do
not do. Every schema is compiled once, when this module is imported, by jsonschema-rs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

import jsonschema_rs

from simulators.contract.registry import CHANNELS, SOURCES, SYSTEMS
from simulators.contract.schema import Schema, one_of

__all__ = [
    "UnknownEndpoint",
    "correlation_id",
    "known",
    "known_topic",
    "validate_answer",
    "validate_message",
    "validate_publish",
    "validate_request",
]


class UnknownEndpoint(LookupError):
    """A system, operation, channel, topic or source the contract does not have (the
    HTTP face answers 404 for it; call `known` or `known_topic` first)."""


def _compile(schema: Schema) -> jsonschema_rs.Validator:
    return jsonschema_rs.Draft202012Validator(schema)


def _answer_schema(schemas: Iterable[Schema]) -> Schema:
    distinct: list[Schema] = []
    for schema in schemas:
        if schema not in distinct:
            distinct.append(schema)
    return distinct[0] if len(distinct) == 1 else one_of("One of these.", *distinct)


_REQUESTS = {
    (system.name, name): _compile(operation.request)
    for system in SYSTEMS.values()
    for name, operation in system.operations.items()
}
_ANSWERS = {
    (system.name, name, status): _compile(_answer_schema(answer.body for answer in answers))
    for system in SYSTEMS.values()
    for name in system.operations
    for status, answers in system.answers(name).items()
}
_PUBLISHES = {
    (channel.name, name): _compile(topic.schema)
    for channel in CHANNELS.values()
    for name, topic in channel.topics.items()
}
_MESSAGES = {
    (source.name, kind): _compile(message.schema)
    for source in SOURCES.values()
    for kind, message in source.messages.items()
}


def _where(path: Iterable[str | int]) -> str:
    """`Items[0].Qty` for a field inside the body, `body` for the body itself."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text or "body"


def _message(error: jsonschema_rs.ValidationError) -> str:
    """The validator's words, except that a value outside an enum is told every value
    it could have been (the validator names two and counts the rest)."""
    kind = error.kind
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.Enum):
        options = ", ".join(json.dumps(option, default=str) for option in kind.options)
        return f"{json.dumps(error.instance, default=str)} is not one of {options}"
    return error.message


def _problems(validator: jsonschema_rs.Validator, instance: Any) -> list[str]:
    return [
        f"{_where(error.instance_path)}: {_message(error)}"
        for error in validator.iter_errors(instance)
    ]


def known(system: str, operation: str) -> bool:
    """Whether `POST /systems/{system}/{operation}` exists."""
    return (system, operation) in _REQUESTS


def known_topic(channel: str, topic: str) -> bool:
    """Whether `POST /channels/{channel}/{topic}` exists."""
    return (channel, topic) in _PUBLISHES


def validate_request(system: str, operation: str, body: Any) -> list[str]:
    """What is wrong with a request body for `system`'s `operation` (empty: nothing);
    each problem names the field and what was expected. Raises `UnknownEndpoint` for an
    operation the contract does not have."""
    validator = _REQUESTS.get((system, operation))
    if validator is None:
        raise UnknownEndpoint(f"no operation {system}/{operation}")
    return _problems(validator, body)


def validate_publish(channel: str, topic: str, body: Any) -> list[str]:
    """What is wrong with a body published to `channel`'s `topic` (empty: nothing).
    Raises `UnknownEndpoint` for a topic the contract does not have."""
    validator = _PUBLISHES.get((channel, topic))
    if validator is None:
        raise UnknownEndpoint(f"no topic {channel}/{topic}")
    return _problems(validator, body)


def validate_answer(system: str, operation: str, status: int, body: Any) -> list[str]:
    """What is wrong with a backend's answer: a status the contract does not list for
    the operation, or a body that does not match that status's schema."""
    if not known(system, operation):
        raise UnknownEndpoint(f"no operation {system}/{operation}")
    validator = _ANSWERS.get((system, operation, status))
    if validator is None:
        listed = ", ".join(str(s) for s in SYSTEMS[system].answers(operation))
        return [f"status {status} is not one {system}/{operation} answers ({listed})"]
    return _problems(validator, body)


def _kind(source: str, payload: Any) -> tuple[str, str | None]:
    """The source's discriminator field, and the kind the payload names in it."""
    found = SOURCES.get(source)
    if found is None:
        raise UnknownEndpoint(f"no source {source}")
    kind = payload.get(found.discriminator) if isinstance(payload, Mapping) else None
    return found.discriminator, kind if isinstance(kind, str) else None


def validate_message(source: str, payload: Any) -> list[str]:
    """What is wrong with a message `source` sends the hub: a kind the source does not
    send (its discriminator field names the kind), or a body that does not match it."""
    field, kind = _kind(source, payload)
    validator = None if kind is None else _MESSAGES.get((source, kind))
    if validator is None:
        kinds = ", ".join(SOURCES[source].messages)
        return [f"{field}: expected a kind of message {source} sends ({kinds}), got {kind!r}"]
    return _problems(validator, payload)


def correlation_id(source: str, payload: Any) -> str | None:
    """The business key of a message (`X-Correlation-Id`): the order, return, till
    transaction or receipt it is about; None when it has none (use the message id)."""
    _, kind = _kind(source, payload)
    message = SOURCES[source].messages.get(kind or "")
    if message is None or not message.correlation:
        return None
    value = payload.get(message.correlation)
    return None if value is None else str(value)
