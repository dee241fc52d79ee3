"""TEMPORARY (not to be committed): permissive checks until simulators/contract lands."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


class _Permissive:
    def known_operation(self, system: str, operation: str) -> bool:
        return system in ("erp", "wms", "pos", "payment", "marketplace")

    def known_topic(self, channel: str, topic: str) -> bool:
        return channel in ("web", "marketplace")

    def validate_request(self, system: str, operation: str, body: Mapping[str, Any]) -> list[str]:
        return []

    def validate_publish(self, channel: str, topic: str, body: Mapping[str, Any]) -> list[str]:
        return []

    def document(self) -> dict[str, Any]:
        return {}


CONTRACT = _Permissive()
