"""docs/contract.openapi.json: written from the tables and up to date, a valid OpenAPI
3.1 document that schemathesis loads, with every backend operation, channel topic and
webhook source, and the refusals, headers and references a client relies on.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from functools import cache
from importlib.metadata import version
from pathlib import Path
from typing import Any

import jsonschema_rs
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.definitions import OPENAPI_31

from simulators.contract import CHANNELS, SOURCES, SYSTEMS, validate_publish, validate_request
from simulators.contract.openapi import document

ROOT = Path(__file__).resolve().parents[4]


@cache
def _document() -> dict[str, Any]:
    return document()


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                yield value
            elif key not in ("example", "examples"):
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)


def test_the_committed_document_is_written_from_the_tables() -> None:
    check = subprocess.run(
        [sys.executable, "scripts/contract.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    committed = json.loads((ROOT / "docs" / "contract.openapi.json").read_text(encoding="utf-8"))
    assert committed == _document()


def test_the_document_is_valid_openapi_3_1() -> None:
    validator = jsonschema_rs.Draft202012Validator(OPENAPI_31)
    assert [error.message for error in validator.iter_errors(_document())] == []
    assert _document()["info"]["version"] == version("retailtwin")


def test_schemathesis_loads_every_operation() -> None:
    loaded = schemathesis.openapi.from_dict(_document())
    labels = {result.ok().label for result in loaded.get_all_operations()}
    expected = {
        f"POST /systems/{system.name}/{operation}"
        for system in SYSTEMS.values()
        for operation in system.operations
    }
    expected |= {
        f"POST /channels/{channel.name}/{topic}"
        for channel in CHANNELS.values()
        for topic in channel.topics
    }
    assert labels == expected | {"GET /clock", "GET /openapi.json"}


def test_every_reference_resolves_and_every_component_is_used() -> None:
    doc = _document()
    used = {ref.removeprefix("#/components/schemas/") for ref in _refs(doc)}
    assert used == set(doc["components"]["schemas"])


def test_every_backend_operation_documents_the_faces_refusals_and_throttling_headers() -> None:
    for path, item in _document()["paths"].items():
        if not path.startswith(("/systems/", "/channels/")):
            continue
        responses = item["post"]["responses"]
        assert {"400", "404", "422"} <= set(responses), path
        throttled = responses.get("429")
        if throttled is not None:
            assert set(throttled["headers"]) == {"Retry-After", "X-Retailtwin-Retry-After-Sim-S"}


def test_every_source_has_its_webhook_with_the_delivery_headers() -> None:
    webhooks = _document()["webhooks"]
    assert set(webhooks) == set(SOURCES)
    for name, item in webhooks.items():
        post = item["post"]
        headers = {parameter["name"] for parameter in post["parameters"]}
        assert headers == {
            "X-Message-Id",
            "X-Correlation-Id",
            "X-Retailtwin-Sim-Time",
            "X-Retailtwin-Attempt",
        }
        body = post["requestBody"]["content"]["application/json"]["schema"]
        assert set(body["discriminator"]["mapping"]) == set(SOURCES[name].messages)
        assert "2XX" in post["responses"]


def test_what_the_document_lets_a_client_send_the_validators_accept() -> None:
    """Bodies generated from the document (its schemas behind `$ref`s) pass the
    validators compiled from the tables: the two say the same thing."""
    loaded = schemathesis.openapi.from_dict(_document())
    refused: list[str] = []
    checked: set[str] = set()
    for result in loaded.get_all_operations():
        operation = result.ok()
        if operation.method != "post":
            continue  # the clock and the document itself take no body
        _, kind, owner, name = operation.path.split("/")
        validate = validate_request if kind == "systems" else validate_publish

        @settings(
            max_examples=4,
            database=None,
            deadline=None,
            suppress_health_check=list(HealthCheck),
        )
        @given(operation.as_strategy())
        def check(case: Any) -> None:
            checked.add(case.operation.path)
            refused.extend(validate(owner, name, case.body))  # noqa: B023

        check()
    assert refused == []
    assert len(checked) == len(list(loaded.get_all_operations())) - 2
