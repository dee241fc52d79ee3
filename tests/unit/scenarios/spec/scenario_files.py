"""Scenario files for the loader's tests: the smallest valid file, and loading it with a
table or two added, so each test shows only the keys it is about."""

from __future__ import annotations

from pathlib import Path

import pytest

from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import load_scenario
from scenarios.spec.scenario import Scenario

MINIMAL = """
[scenario]
name = "tiny"
description = "The smallest valid scenario. Everything else defaults."
"""


def write(tmp_path: Path, body: str, name: str = "s.toml") -> Path:
    path = tmp_path / name
    path.write_text(body, encoding="utf-8")
    return path


def load_text(tmp_path: Path, extra: str = "", *overrides: str) -> Scenario:
    return load_scenario(str(write(tmp_path, MINIMAL + extra)), overrides)


def error_of(tmp_path: Path, extra: str, *overrides: str) -> str:
    with pytest.raises(ScenarioError) as info:
        load_text(tmp_path, extra, *overrides)
    return str(info.value)
