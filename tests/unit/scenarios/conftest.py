"""Fixtures for the scenario layer's unit tests: a tiny estate to point faults at."""

from __future__ import annotations

import pytest
import simpy

from scenarios.spec.loader import scenario_from_dict
from scenarios.twin.estate import Estate
from scenarios.twin.runtime import start


@pytest.fixture
def tiny_env() -> simpy.Environment:
    return simpy.Environment()


@pytest.fixture
def tiny_estate(tiny_env: simpy.Environment) -> Estate:
    """The systems of a small world on `tiny_env`, built but not run."""
    scenario = scenario_from_dict(
        {
            "scenario": {"name": "tiny", "description": "A tiny estate.", "duration": "1h"},
            "world": {"skus": 20, "stores": 4, "customers": 50},
            "backends": {
                "tax": {"enabled": True},
                "fraud": {"enabled": True},
                "erp": {"token_lifetime": "1h"},
                "marketplace": {"token_lifetime": "1h"},
            },
        }
    )
    return start(scenario, tiny_env).result.estate
