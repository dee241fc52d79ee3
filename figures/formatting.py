"""How the published figures are written: numbers, durations, spreads over seeds and
markdown tables, the same way in every block, so a figure reads alike wherever it is."""

from __future__ import annotations

import math
import re
import statistics
import textwrap
from collections.abc import Iterable, Sequence

from figures.keys import Reader, Report, at_least

#: the docs' line width for prose
WIDTH = 88
_UNIT = re.compile(r"(\d) (s|min|h|%|units?|writes|calls)\b")


def count(value: float | None) -> str:
    """A count or a mean of counts: 1,316; 27.6; '-' when there is none."""
    if value is None:
        return "-"
    if float(value).is_integer():
        return f"{value:,.0f}"
    return f"{value:,.1f}"


def seconds(value: float | None) -> str:
    """A duration: 2.3 s, 312 s, 11.4 min, 2.5 h; 'never' when it never happened."""
    if value is None:
        return "never"
    if value < 10:
        return f"{value:.1f} s"
    if value < 600:
        return f"{value:,.0f} s"
    if value < 36_000:
        return f"{value / 60:,.1f} min"
    return f"{value / 3600:,.1f} h"


def bound(text: str, at_least: bool) -> str:
    """A figure that rests on items the run never finished is at least what it says."""
    return f"≥ {text}" if at_least else text


def latency(read: Reader, report: Report) -> str:
    """A latency statistic of a run, marked as a lower bound where it is one."""
    return bound(seconds(read(report)), at_least(read, report))


def percent(value: float | None, digits: int = 2) -> str:
    return "-" if value is None else f"{value:.{digits}f} %"


def _same_unit(value: float, like: float) -> str:
    """`value` in the unit `seconds(like)` chose, without the unit."""
    text = seconds(like)
    if text.endswith(" min"):
        return f"{value / 60:,.1f}"
    if text.endswith(" h"):
        return f"{value / 3600:,.1f}"
    return f"{value:,.0f}" if like >= 10 else f"{value:.1f}"


def spread(values: Sequence[float | None], unit: str = "count", lower_bound: bool = False) -> str:
    """Mean (min..max) over seeds: `27.6 (23..33)`, `312 s (240..420)`, `11.4 min
    (11.0..12.0)`; runs where the figure never happened are counted apart (`never in
    1/5`) and left out of the mean; one value alone, or all equal, is shown alone."""
    present = [v for v in values if v is not None and math.isfinite(v)]
    missing = len(values) - len(present)
    if not present:
        return f"never ({missing}/{len(values)})"
    mean = round(statistics.fmean(present), 6)
    low, high = min(present), max(present)
    if unit == "s":
        text, ends = seconds(mean), (_same_unit(low, mean), _same_unit(high, mean))
    elif unit == "%":
        text, ends = percent(mean), (f"{low:.2f}", f"{high:.2f}")
    else:
        text, ends = count(round(mean, 1)), (count(low), count(high))
    if ends[0] != ends[1]:
        text += f" ({ends[0]}..{ends[1]})"
    if missing:
        text += f", never in {missing}/{len(values)}"
    return bound(text, lower_bound)


def plural(value: float | None, unit: str, units: str | None = None) -> str:
    """1 unit, 3 units, 1,316 writes."""
    many = units if units is not None else unit + "s"
    return f"{count(value)} {unit if value == 1 else many}"


def wrap(text: str, indent: str = "", first: str | None = None) -> str:
    """A paragraph (or a list item: `first="- "`, `indent="  "`) at the docs' width,
    never breaking a number from its unit."""
    glued = _UNIT.sub(lambda m: m.group(1) + "\0" + m.group(2), text).replace("≥ ", "≥\0")
    filled = textwrap.fill(
        glued,
        WIDTH,
        initial_indent=indent if first is None else first,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    return filled.replace("\0", " ")


def item(text: str, indent: str = "") -> str:
    """A list item at the docs' width: `- text`, continued two spaces in."""
    return wrap(text, indent + "  ", indent + "- ")


def table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def code(text: str) -> str:
    return f"`{text}`"


def names(items: Sequence[str]) -> str:
    """`a`, `b` and `c`; 'none' for nothing."""
    quoted = [code(item) for item in items]
    if not quoted:
        return "none"
    if len(quoted) == 1:
        return quoted[0]
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def times(ratio: float) -> str:
    """A ratio of two means: 1.7x."""
    return f"{ratio:.1f}x"


def seeds_phrase(hits: int, total: int) -> str:
    """'on every seed', 'on no seed', 'on 3 of 5 seeds'."""
    if hits == total:
        return "on every seed" if total > 1 else "on its seed"
    if hits == 0:
        return "on no seed"
    return f"on {hits} of {total} seeds"
