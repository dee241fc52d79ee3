"""The OpenAPI 3.1 document of the contract, assembled from the tables.

One path per backend operation (`/systems/{system}/{operation}`) and per channel topic
(`/channels/{channel}/{topic}`) rather than one templated path each: every operation has
its own request and answers, and a client generated from the document should get a
typed method for each. The semantics a schema cannot say (lost answers, at-least-once,
idempotency, what the checker holds a hub to) are in the descriptions.
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version
from typing import Any

from simulators.contract.components import hoist
from simulators.contract.credentials import BEARER, GUARDABLE, SCHEME, TOKEN_OPERATIONS
from simulators.contract.face import ACCEPTED, CLOCK, REFUSALS, THROTTLE_HEADERS
from simulators.contract.registry import CHANNELS, SYSTEMS
from simulators.contract.schema import Schema
from simulators.contract.semantics import INTRO, LOST
from simulators.contract.tables import Answer, Channel, System
from simulators.contract.webhooks import webhooks

__all__ = ["document"]

_JSON = "application/json"


def _version() -> str:
    try:
        return version("retailtwin")
    except PackageNotFoundError:  # pragma: no cover - run from a bare checkout
        return "0+unknown"


def _response(answers: list[Answer]) -> dict[str, Any]:
    """One status's response: its reasons (several can share a status) and its body."""
    schemas: list[Schema] = []
    for answer in answers:
        if answer.body not in schemas:
            schemas.append(answer.body)
    whens = [answer.when for answer in answers]
    response: dict[str, Any] = {
        "description": whens[0] if len(whens) == 1 else "\n".join(f"- {w}" for w in whens),
        "content": {_JSON: {"schema": schemas[0] if len(schemas) == 1 else {"oneOf": schemas}}},
    }
    if any(answer.status == 429 for answer in answers):
        response["headers"] = THROTTLE_HEADERS
    return response


def _responses(answers: dict[int, list[Answer]]) -> dict[str, Any]:
    merged: dict[int, list[Answer]] = {status: list(found) for status, found in answers.items()}
    for refusal in REFUSALS:
        merged.setdefault(refusal.status, []).append(refusal)
    return {str(status): _response(merged[status]) for status in sorted(merged)}


def _post(
    operation_id: str, tag: str, summary: str, description: str, request: Schema, example: Any
) -> dict[str, Any]:
    return {
        "operationId": operation_id,
        "tags": [tag],
        "summary": summary,
        "description": description,
        "requestBody": {
            "required": True,
            "content": {_JSON: {"schema": request, "example": example}},
        },
    }


def _system_paths(system: System) -> dict[str, Any]:
    paths = {}
    for name, operation in system.operations.items():
        post = _post(
            f"{system.name}_{name}",
            system.name,
            operation.summary,
            f"{operation.description}\n\n{LOST}",
            operation.request,
            dict(operation.example),
        )
        post["responses"] = _responses(system.answers(name))
        if system.name in GUARDABLE and name not in TOKEN_OPERATIONS:
            # a bearer token when the run guards the backend, none when it does not
            post["security"] = [{SCHEME: []}, {}]
        paths[f"/systems/{system.name}/{name}"] = {"post": post}
    return paths


def _channel_paths(channel: Channel) -> dict[str, Any]:
    paths = {}
    accepted = Answer(202, "Accepted for the channel.", ACCEPTED)
    for name, topic in channel.topics.items():
        post = _post(
            f"publish_{channel.name}_{name.replace('.', '_')}",
            f"channel {channel.name}",
            topic.summary,
            topic.description,
            topic.schema,
            dict(topic.example),
        )
        post["responses"] = _responses({202: [accepted]})
        paths[f"/channels/{channel.name}/{name}"] = {"post": post}
    return paths


def _get(operation_id: str, summary: str, schema: Schema, description: str) -> dict[str, Any]:
    return {
        "get": {
            "operationId": operation_id,
            "tags": ["twin"],
            "summary": summary,
            "responses": {
                "200": {"description": description, "content": {_JSON: {"schema": schema}}}
            },
        }
    }


def _tags() -> list[dict[str, str]]:
    tags = [
        {"name": s.name, "description": f"{s.title}. {s.description}"} for s in SYSTEMS.values()
    ]
    tags += [
        {"name": f"channel {c.name}", "description": f"{c.title}. {c.description}"}
        for c in CHANNELS.values()
    ]
    tags.append({"name": "twin", "description": "The run itself."})
    tags.append({"name": "webhooks", "description": "What the twin sends a hub."})
    return tags


def document() -> dict[str, Any]:
    """The whole OpenAPI 3.1 document, as plain JSON-ready data."""
    paths: dict[str, Any] = {}
    for system in SYSTEMS.values():
        paths.update(_system_paths(system))
    for channel in CHANNELS.values():
        paths.update(_channel_paths(channel))
    paths["/clock"] = _get("clock", "The run's clock", CLOCK, "Where simulated time stands.")
    paths["/openapi.json"] = _get(
        "contract", "This document", {"type": "object"}, "The contract, as OpenAPI 3.1."
    )
    schemas: dict[str, Schema] = {}
    hoisted_paths = hoist(paths, schemas)
    hoisted_webhooks = hoist(webhooks(), schemas)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "retailtwin: the contract between the twin and a hub",
            "version": _version(),
            "description": INTRO,
        },
        "servers": [{"url": "/", "description": "The twin that serves this document."}],
        "tags": _tags(),
        "paths": hoisted_paths,
        "webhooks": hoisted_webhooks,
        "components": {
            "schemas": dict(sorted(schemas.items())),
            "securitySchemes": {SCHEME: BEARER},
        },
    }
