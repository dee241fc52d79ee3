"""Fuzzing what users type: any `--set` value on any key, any file text. Whatever it
is, loading ends quickly in a scenario or in a one-line refusal (exit 2), never in a
traceback, and a refused value never lets a command go on to exit 0."""

from __future__ import annotations

import contextlib
import io
import json
import math
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scenarios.cli.main import main
from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import load_scenario
from scenarios.spec.run_bounds import MAX_CHANNEL_ORDERS, MAX_STORE_SALES, expected_volume
from scenarios.spec.toml_keys import TOP_LEVEL, children, join


def _keys(hint: Any = TOP_LEVEL, prefix: str = "") -> Iterator[str]:
    for key, spec in (children(hint) or {}).items():
        path = join(prefix, key)
        if children(spec.hint) is None:
            yield path
        else:
            yield from _keys(spec.hint, path)


KEYS = sorted(_keys())


def exit_code(argv: list[str]) -> int:
    """The command's exit code, argparse's own refusals (exit 2) included."""
    try:
        return main(argv)
    except SystemExit as exc:
        assert isinstance(exc.code, int)
        return exc.code


def _toml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    return "[" + ", ".join(_toml(item) for item in value) + "]"


_SCALARS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.text(max_size=20),
    st.builds(
        lambda n, unit: f"{n}{unit}",
        st.integers(min_value=-5, max_value=10**12),
        st.sampled_from(["s", "m", "h", "d", "ms", "y", ""]),
    ),
)
VALUES = st.one_of(
    _SCALARS.map(_toml),
    st.recursive(_SCALARS, lambda inner: st.lists(inner, max_size=4), max_leaves=12).map(_toml),
    st.text(max_size=30),  # what a user types that is not TOML: kept as a bare string
    st.integers(min_value=1, max_value=40).map(lambda depth: "[" * depth + "]" * depth),
)


@settings(max_examples=300, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(key=st.one_of(st.sampled_from(KEYS), st.text(max_size=20)), value=VALUES)
def test_any_set_value_is_a_scenario_or_a_one_line_refusal(key: str, value: str) -> None:
    override = f"{key}={value}"
    try:
        scenario = load_scenario("steady-day", (override,))
    except ScenarioError:
        # the command refuses it at once, in one line: exit 2, before any run
        said = io.StringIO()
        with contextlib.redirect_stderr(said):
            assert exit_code(["run", "steady-day", "--quiet", f"--set={override}"]) == 2
        assert said.getvalue().count("\n") == 1, said.getvalue()
        return
    orders, sales = expected_volume(scenario, 1.0)
    assert orders <= MAX_CHANNEL_ORDERS and sales <= MAX_STORE_SALES


@settings(max_examples=150, deadline=2000, suppress_health_check=[HealthCheck.too_slow])
@given(
    text=st.one_of(
        st.text(max_size=300),
        st.sampled_from(["[scenario]\nname = 'x'\n", '[scenario]\nname = "x"\ndescription = "y"\n'])
        .flatmap(lambda head: st.tuples(st.just(head), st.sampled_from(KEYS), VALUES))
        .map(lambda parts: _file_with(*parts)),
    )
)
def test_any_file_validates_to_0_or_2(tmp_path_factory: Any, text: str) -> None:
    path = Path(tmp_path_factory.mktemp("fuzz")) / "s.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    code = exit_code(["validate", str(path)])
    try:
        load_scenario(str(path))
    except ScenarioError:
        assert code == 2
    else:
        assert code == 0


def _file_with(head: str, key: str, value: str) -> str:
    """A file setting `key` (a dotted path) to `value` under its table."""
    table, _, leaf = key.rpartition(".")
    if not table:
        return f"{key} = {value}\n{head}"
    if table == "scenario":
        return f"{head}{leaf} = {value}\n"
    return f"{head}[{table}]\n{leaf} = {value}\n"
