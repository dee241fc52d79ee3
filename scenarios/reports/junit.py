"""The verdict as JUnit XML, so CI systems show a broken invariant or SLA natively.

Every CI system (GitLab, Jenkins, GitHub Actions reporters, Buildkite) reads the same
de-facto schema: `<testsuites>` of `<testsuite>` of `<testcase classname name>`, with a
`<failure message type>` child when the case failed. One test case per invariant and
per SLA threshold; the failure message is the check's own detail, or the value against
its threshold, so the CI page says what broke without opening report.json.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from scenarios.checking.metrics import SlaOutcome, SlaResult
from scenarios.checking.verdict import Verdict


def sla_message(sla: SlaResult) -> str:
    if sla.outcome == SlaOutcome.NOT_MEASURABLE:
        return f"{sla.name}: not measurable ({sla.not_measurable}); threshold {sla.threshold:g}"
    if sla.value is None:
        return f"{sla.name}: never reached (threshold {sla.threshold:g})"
    relation = "<=" if sla.bound == "max" else ">="
    # a value resting on items the run never finished is a lower bound
    equals = ">=" if sla.at_least else "="
    if sla.passed:
        return f"{sla.name} {equals} {sla.value:g} {relation} {sla.threshold:g}"
    broken = ">" if sla.bound == "max" else "<"
    return (
        f"{sla.name} {equals} {sla.value:g} {broken} threshold {sla.threshold:g} (must be "
        f"{relation} {sla.threshold:g})"
    )


def to_xml(verdict: Verdict) -> ET.ElementTree:
    suite_name = f"retailtwin.{verdict.scenario}"
    cases = len(verdict.invariants) + len(verdict.sla)
    failures = sum(not c.passed for c in verdict.invariants) + sum(
        not s.passed for s in verdict.sla
    )
    # a threshold that could not be measured is neither met nor breached: skipped
    skipped = sum(s.outcome == SlaOutcome.NOT_MEASURABLE for s in verdict.sla)
    wall = str(verdict.performance.get("wall_seconds", 0.0))
    root = ET.Element(
        "testsuites",
        name="retailtwin",
        tests=str(cases),
        failures=str(failures),
        errors="0",
        time=wall,
    )
    suite = ET.SubElement(
        root,
        "testsuite",
        name=suite_name,
        tests=str(cases),
        failures=str(failures),
        errors="0",
        skipped=str(skipped),
        time=wall,
    )
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("scenario", verdict.scenario),
        ("seed", str(verdict.seed)),
        ("digest", verdict.digest),
        ("replay", verdict.replay_command()),
        *(("override", o) for o in verdict.overrides),
    ):
        ET.SubElement(properties, "property", name=name, value=value)
    for check in verdict.invariants:
        case = ET.SubElement(
            suite, "testcase", classname=f"{suite_name}.invariant", name=check.name, time="0"
        )
        if not check.passed:
            failure = ET.SubElement(case, "failure", message=check.detail, type="InvariantViolated")
            failure.text = f"{check.detail}\n\nreplay: {verdict.replay_command()}"
        else:
            ET.SubElement(case, "system-out").text = check.detail
    for sla in verdict.sla:
        case = ET.SubElement(
            suite, "testcase", classname=f"{suite_name}.sla", name=sla.name, time="0"
        )
        message = sla_message(sla)
        if sla.outcome == SlaOutcome.NOT_MEASURABLE:
            ET.SubElement(case, "skipped", message=message)
        elif not sla.passed:
            failure = ET.SubElement(case, "failure", message=message, type="SlaBreached")
            failure.text = f"{message}\n\nreplay: {verdict.replay_command()}"
        else:
            ET.SubElement(case, "system-out").text = message
    ET.indent(root)
    return ET.ElementTree(root)


def write_junit(verdict: Verdict, out_dir: Path) -> Path:
    path = out_dir / "junit.xml"
    to_xml(verdict).write(path, encoding="utf-8", xml_declaration=True)
    return path
