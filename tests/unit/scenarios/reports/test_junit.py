"""junit.xml from a verdict: one case per invariant and SLA, failures carrying the
check's detail or the value against its threshold."""

from __future__ import annotations

from scenarios.checking.invariants import CheckResult, Invariant
from scenarios.checking.metrics import Bound, SlaResult, Unit
from scenarios.checking.verdict import Verdict
from scenarios.reports.junit import sla_message, to_xml


def _verdict() -> Verdict:
    return Verdict(
        scenario="erp-outage",
        seed=5,
        overrides=["hub.erp_buffer=false"],
        digest="ab12",
        invariants=[
            CheckResult(Invariant.NO_LOST_ORDER, False, "1 orders lost or stuck: W-1", 1),
            CheckResult(Invariant.EXACTLY_ONCE, True, "all once", 0),
        ],
        sla=[
            SlaResult("dead_letter_drain_s", None, 1800.0, Bound.MAX, False),
            SlaResult("marketplace_ack_within_window_pct", 97.5, 99.0, Bound.MIN, False),
            SlaResult("sync_lag_p95_s", 2.4, 60.0, Bound.MAX, True),
        ],
        metrics={},
        performance={"wall_seconds": 1.5},
    )


def test_sla_messages_say_value_and_threshold() -> None:
    drain, ack, lag = _verdict().sla
    assert sla_message(drain) == "dead_letter_drain_s: never reached (threshold 1800)"
    assert sla_message(ack) == (
        "marketplace_ack_within_window_pct = 97.5 < threshold 99 (must be >= 99)"
    )
    assert sla_message(lag) == "sync_lag_p95_s = 2.4 <= 60"


def test_one_case_per_check_and_failures_with_messages() -> None:
    root = to_xml(_verdict()).getroot()
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("name"), suite.get("tests"), suite.get("failures")) == (
        "retailtwin.erp-outage",
        "5",
        "3",
    )
    cases = list(suite.iter("testcase"))
    assert [(c.get("classname"), c.get("name")) for c in cases] == [
        ("retailtwin.erp-outage.invariant", "no_lost_order"),
        ("retailtwin.erp-outage.invariant", "exactly_once"),
        ("retailtwin.erp-outage.sla", "dead_letter_drain_s"),
        ("retailtwin.erp-outage.sla", "marketplace_ack_within_window_pct"),
        ("retailtwin.erp-outage.sla", "sync_lag_p95_s"),
    ]
    failure = cases[0].find("failure")
    assert failure is not None
    assert failure.get("message") == "1 orders lost or stuck: W-1"
    assert "retailtwin run erp-outage --seed 5 --set hub.erp_buffer=false" in (failure.text or "")
    assert cases[1].find("failure") is None and cases[4].find("failure") is None


def test_a_threshold_not_measurable_is_skipped_not_passed_nor_failed() -> None:
    verdict = _verdict()
    unmeasured = SlaResult(
        "exception_queue_age_max_s",
        None,
        3600.0,
        Bound.MAX,
        True,
        unit=Unit.SECONDS,
        not_measurable="reads the hub's exception queue, which an external hub does not expose",
    )
    verdict.sla.append(unmeasured)
    assert sla_message(unmeasured) == (
        "exception_queue_age_max_s: not measurable (reads the hub's exception queue, which "
        "an external hub does not expose); threshold 3600"
    )
    suite = to_xml(verdict).getroot().find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("6", "3", "1")
    case = [c for c in suite.iter("testcase") if c.get("name") == "exception_queue_age_max_s"]
    skipped = case[0].find("skipped")
    assert skipped is not None and skipped.get("message") == sla_message(unmeasured)
    assert case[0].find("failure") is None
