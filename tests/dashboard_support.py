"""The Grafana dashboard (dashboards/retailtwin.json) as the tests read it: its PromQL
queries, and the metric names each selects. The graph tests hold the names to a scrape
of the API; the Prometheus test runs every query on a real server."""

from __future__ import annotations

import json
import re
from pathlib import Path

DASHBOARD = Path(__file__).resolve().parents[1] / "dashboards" / "retailtwin.json"
#: PromQL keywords that look like metric names (a function is told by its parenthesis)
PROMQL_WORDS = {"by", "without", "on", "ignoring", "group_left", "group_right"}
PROMQL_WORDS |= {"and", "or", "unless", "bool", "offset", "inf", "nan"}


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression selects: its identifiers once label
    values, matchers, ranges, grouping labels, numbers, durations and Grafana's
    variables are taken out, and what is called (a function) or reserved (a keyword)
    left aside."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)
    expr = re.sub(r"\$\{?\w+\}?", "", expr)
    expr = re.sub(r"\{[^}]*\}", "", expr)
    expr = re.sub(r"\[[^\]]*\]", "", expr)
    expr = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", expr)
    expr = re.sub(r"(?<![\w:])\d[\d.]*(?:e[+-]?\d+)?(?:ms|[smhdwy])?", "", expr)  # 0.95, 5m
    found = re.findall(r"([A-Za-z_:][A-Za-z0-9_:]*)\s*(\(?)", expr)
    return {name for name, call in found if not call and name.lower() not in PROMQL_WORDS}


def dashboard_queries() -> list[tuple[str, str]]:
    """(panel title, PromQL) of every query in the dashboard, variables' included."""
    board = json.loads(DASHBOARD.read_text())
    queries = [
        (panel["title"], target["expr"])
        for panel in board["panels"]
        for target in panel.get("targets", [])
    ]
    for variable in board["templating"]["list"]:
        if variable["type"] == "query":
            inner = re.fullmatch(r"label_values\((\w+), *\w+\)", variable["definition"])
            assert inner is not None, variable["definition"]
            queries.append((f"${variable['name']}", inner.group(1)))
    return queries
