"""A finished run's operations document takes the channels' sync lags from its verdict
(`sync_lag_s`, measured while judging) instead of walking every stock movement again:
the figures must be the ones the snapshot would have measured itself."""

from __future__ import annotations

from functools import cache

from scenarios.checking import latency, operations
from scenarios.checking.verdict import Verdict, judge
from scenarios.spec.loader import load_scenario
from scenarios.twin.run_result import RunResult
from scenarios.twin.runtime import run
from scenarios.twin.timeline import TimelineRecorder

SCENARIO = "erp-outage"
OVERRIDES = ("scenario.scale=0.1",)


@cache
def _judged() -> tuple[RunResult, TimelineRecorder, Verdict]:
    observer = TimelineRecorder()
    result = run(load_scenario(SCENARIO, OVERRIDES), observer=observer)
    return result, observer, judge(result, SCENARIO, OVERRIDES)


def test_the_verdicts_channel_lags_are_the_ones_measured_again() -> None:
    result, observer, verdict = _judged()
    measured = operations.snapshot(result, observer, verdict, [])["sync_lag"]
    reused = operations.snapshot(
        result, observer, verdict, [], channel_lags=verdict.metrics["sync_lag_s"]
    )["sync_lag"]
    assert reused == measured
    channels = [lag for lag in reused if lag["scope"] == "channel"]
    assert channels and all(lag["count"] for lag in channels)
    assert any(lag["scope"] == "source" for lag in reused)


def test_the_lags_given_are_the_lags_shown() -> None:
    result, observer, _ = _judged()
    given = {"web": {"count": 7, "censored": 1, "p95": 3.5}}
    lags = operations.sync_lags(result, observer, given)
    [web] = [lag for lag in lags if lag["scope"] == "channel" and lag["name"] == "web"]
    assert web == {"scope": "channel", "name": "web", "count": 7, "censored": 1, "p95": 3.5}


def test_the_sources_lags_are_summarized_from_the_recorders_arrays_as_from_latencies() -> None:
    result, observer, _ = _judged()
    lags = operations.sync_lags(result, observer, {})
    sources = {lag["name"]: lag for lag in lags if lag["scope"] == "source"}
    assert sorted(sources) == sorted(observer.source_lag_s)
    for source, waits in observer.source_lag_s.items():
        assert len(waits) > 0
        one_by_one = latency.summarize(latency.Latency(source, s, 0.0) for s in waits)
        assert sources[source] == {"scope": "source", "name": source, **one_by_one}
