"""report.html: one self-contained page a person opens in a browser, online or not.

Everything is inline: the stylesheet, the charts (SVG from `scenarios.reports.run_charts`),
the tables. There is no script and no link to anything outside the page, so it renders the
same from a CI artefact, an e-mail attachment or a laptop on a plane.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape

from scenarios.checking.histogram import PRECISION_NOTE
from scenarios.checking.marketplace_figures import marketplaces_line
from scenarios.checking.metrics import SlaOutcome
from scenarios.checking.verdict import Verdict
from scenarios.reports.drawn import Chart
from scenarios.reports.junit import sla_message
from scenarios.reports.run_charts import RUN_CHARTS
from scenarios.reports.series import RunSeries
from scenarios.reports.volume_words import volumes_line

CSS = """
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
       margin: 0 auto; max-width: 1100px; padding: 24px; color: #222; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
.meta { color: #555; margin: 2px 0; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
       background: #f4f4f4; padding: 1px 4px; border-radius: 3px; word-break: break-all; }
.badge { display: inline-block; padding: 2px 10px; border-radius: 10px; font-weight: 600;
         color: #fff; margin-left: 8px; font-size: 13px; vertical-align: middle; }
.pass { background: #2e7d32; } .fail { background: #c62828; }
td.pass, td.fail { background: none; font-weight: 600; }
td.pass { color: #2e7d32; } td.fail { color: #c62828; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 13px; }
th, td { border-bottom: 1px solid #e4e4e4; padding: 4px 8px; text-align: left;
         vertical-align: top; }
th { background: #f7f7f7; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
figure { margin: 12px 0 20px; }
figcaption { color: #555; font-size: 12px; margin-top: 4px; }
p.left-out { color: #555; font-size: 13px; margin: 4px 0 12px; font-style: italic; }
svg.chart { max-width: 100%; height: auto; display: block; }
"""


def page(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
        f"{body}\n</body>\n</html>\n"
    )


def badge(passed: bool, text: str | None = None) -> str:
    label = text or ("PASSED" if passed else "FAILED")
    return f'<span class="badge {"pass" if passed else "fail"}">{escape(label)}</span>'


def result_cell(passed: bool) -> str:
    return f'<td class="{"pass" if passed else "fail"}">{"pass" if passed else "FAIL"}</td>'


def table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], numeric: Iterable[int] = ()
) -> str:
    """Cells are HTML already (escape text before passing it); columns in `numeric` are
    right-aligned. A cell starting with `<td` is used as is."""
    right = set(numeric)
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    lines = []
    for row in rows:
        cells = "".join(
            cell
            if cell.startswith("<td")
            else f"<td{' class=num' if i in right else ''}>{cell}</td>"
            for i, cell in enumerate(row)
        )
        lines.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(lines)}</tbody></table>"


def figure(svg: str, caption: str) -> str:
    return f"<figure>{svg}<figcaption>{escape(caption)}</figcaption></figure>"


def chart_block(chart: Chart, caption: str) -> str:
    """The chart and its caption, then the line naming what it left out; only that line
    when every panel was left out."""
    parts = [figure(chart.svg, caption)] if chart.svg is not None else []
    if chart.left_out:
        parts.append(
            f'<p class="left-out" data-left-out="{escape(chart.name)}">{escape(chart.left_out)}</p>'
        )
    return "".join(parts)


def verdict_table(verdict: Verdict) -> str:
    rows: list[Sequence[str]] = []
    for check in verdict.invariants:
        rows.append(
            (
                f"invariant <b>{escape(check.name)}</b>",
                str(check.violations),
                "0",
                result_cell(check.passed),
                escape(check.detail),
            )
        )
    for sla in verdict.sla:
        bound = "&le;" if sla.bound == "max" else "&ge;"
        value = "never" if sla.value is None else f"{sla.value:,.2f}"
        if sla.at_least:  # rests on items the run never finished: a lower bound
            value = f"&ge; {value}"
        unmeasured = sla.outcome == SlaOutcome.NOT_MEASURABLE
        rows.append(
            (
                f"SLA <b>{escape(sla.name)}</b>",
                "n/a" if unmeasured else value,
                f"{bound} {sla.threshold:,.2f}",
                "<td>not measurable</td>" if unmeasured else result_cell(sla.passed),
                escape(sla_message(sla)),
            )
        )
    return table(("check", "value", "threshold", "result", "detail"), rows, numeric=(1, 2))


def run_page(verdict: Verdict, series: RunSeries) -> str:
    """The report of one run: verdict, key volumes and the charts."""
    return run_page_around(verdict, chart_sections(series))


def chart_sections(series: RunSeries) -> list[str]:
    """The page's charts, each under its heading: the run's series alone, so a drawer
    can draw them before the run is judged (`page_process`)."""
    sections = []
    for title, caption, draw in RUN_CHARTS:
        sections.append(f"<h2>{escape(title)}</h2>")
        sections.append(chart_block(draw(series), caption))
    return sections


def run_page_around(verdict: Verdict, sections: Sequence[str]) -> str:
    """`run_page`, its charts drawn already (`chart_sections`)."""
    m = verdict.metrics
    overrides = " ".join(f"--set {o}" for o in verdict.overrides) or "none"
    head = (
        f"<h1>{escape(verdict.scenario_name)} (seed {verdict.seed}) {badge(verdict.passed)}</h1>"
        + source_line(verdict)
        + f'<p class="meta">overrides: <code>{escape(overrides)}</code></p>'
        f'<p class="meta">digest <code>{escape(verdict.digest)}</code></p>'
        f'<p class="meta">replay: <code>{escape(verdict.replay_command())}</code></p>'
        f'<p class="meta">{escape(volumes_line(m))}</p>'
    )
    marketplaces = marketplaces_line(m)
    if marketplaces:
        head += f'<p class="meta">marketplaces: {escape(marketplaces)}</p>'
    parts = [head, "<h2>Verdict</h2>", verdict_table(verdict)]
    parts.append(f'<p class="meta" data-precision>{escape(PRECISION_NOTE)}</p>')
    parts += sections
    parts.append(
        '<p class="meta">Files beside this page: <code>report.json</code> (every '
        "metric, the full scenario spec, an integrity hash), <code>junit.xml</code>"
        " (one test case per invariant and SLA).</p>"
    )
    return page(f"{verdict.scenario_name} seed {verdict.seed}: retailtwin", "\n".join(parts))


def source_line(verdict: Verdict) -> str:
    """Where a scenario read from a file came from: the title names the scenario, and the
    path is what tells two files of the same name apart."""
    if verdict.scenario == verdict.scenario_name:
        return ""
    return f'<p class="meta">scenario file: <code>{escape(verdict.scenario)}</code></p>'
