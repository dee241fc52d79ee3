"""parse_duration: every accepted form, and errors that name the field."""

from __future__ import annotations

import pytest

from scenarios.spec.durations import format_duration, parse_duration
from scenarios.spec.errors import ScenarioError


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("45m", 2700.0),
        ("1h30m", 5400.0),
        ("2h", 7200.0),
        ("90s", 90.0),
        ("1.5h", 5400.0),
        ("7d", 604800.0),
        ("500ms", 0.5),
        ("1m5s", 65.0),
        ("2m 30s", 150.0),
        ("1d2h3m4s5ms", 86400 + 7200 + 180 + 4 + 0.005),
        ("90", 90.0),
        ("0", 0.0),
        (90, 90.0),
        (0.25, 0.25),
        (0, 0.0),
    ],
)
def test_accepted_forms(text: str | int | float, seconds: float) -> None:
    assert parse_duration(text, "x") == pytest.approx(seconds)


def test_result_is_float() -> None:
    assert type(parse_duration(90, "x")) is float
    assert type(parse_duration("1h", "x")) is float


@pytest.mark.parametrize("text", ["soon", "", "h", "1hh", "5 minutes", "1h-30m", "1e3s"])
def test_garbage_names_field_and_expected_form(text: str) -> None:
    with pytest.raises(ScenarioError) as info:
        parse_duration(text, "demand.peaks[0].start")
    message = str(info.value)
    assert message.startswith("demand.peaks[0].start: expected a duration like")
    assert '"45m", "1h30m" or a number of seconds' in message
    assert f'got "{text}"' in message
    assert info.value.field == "demand.peaks[0].start"


def test_exact_message_for_soon() -> None:
    with pytest.raises(ScenarioError) as info:
        parse_duration("soon", "demand.peaks[0].start")
    assert str(info.value) == (
        'demand.peaks[0].start: expected a duration like "45m", "1h30m" '
        'or a number of seconds, got "soon"'
    )


@pytest.mark.parametrize("text", [-1, -0.5, "-5m"])
def test_negative_is_rejected(text: str | int | float) -> None:
    with pytest.raises(ScenarioError, match=r"^faults\[0\]\.start: a duration cannot be negative"):
        parse_duration(text, "faults[0].start")


@pytest.mark.parametrize("text", ["30m1h", "1h1h", "5s1m"])
def test_units_out_of_order_are_rejected(text: str) -> None:
    with pytest.raises(ScenarioError, match="largest to smallest"):
        parse_duration(text, "x")


@pytest.mark.parametrize("value", [True, False, float("inf"), float("nan"), [1], {"a": 1}])
def test_non_durations_are_rejected(value: object) -> None:
    with pytest.raises(ScenarioError, match=r"^scenario\.duration: expected a duration"):
        parse_duration(value, "scenario.duration")  # type: ignore[arg-type]


def test_bool_is_shown_as_toml() -> None:
    with pytest.raises(ScenarioError, match=r"got true$"):
        parse_duration(True, "x")


def test_scenario_error_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        parse_duration("soon", "x")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0s"), (5400, "1h30m"), (0.5, "500ms"), (86400 * 7, "7d"), (90, "1m30s")],
)
def test_format_duration_round_trips(seconds: float, text: str) -> None:
    assert format_duration(seconds) == text
    assert parse_duration(text, "x") == pytest.approx(seconds)


def test_a_duration_too_big_for_milliseconds_is_shown_as_given() -> None:
    """The scenario fuzz found 1.797693134862316e+305 s: finite, but a thousand times it
    is not, and its refusal raised OverflowError instead of naming it."""
    assert format_duration(1.797693134862316e305) == "1.79769e+305s"
    assert format_duration(1e300) == "1e+300s"
