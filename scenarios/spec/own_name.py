"""The name a scenario gives itself, which titles its reports.

A run is asked for by a shipped name or a file's path (`scenario`, which a replay command
needs); the file names itself in `[scenario] name`, and that is what a reader knows it by.
Both the run's report and a comparison of runs are titled this way, so the rule lives
here once: the exported scenario's `name` when it has one, else how it was asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def own_name(exported: Mapping[str, Any], asked_for: str) -> str:
    """`exported` is the scenario as `scenario_to_dict` writes it into a report."""
    name = exported.get("name")
    return name if isinstance(name, str) and name else asked_for
