"""What the charts draw, decided apart from drawing them: which panels a chart has,
which are left out because nothing happened in them, and the axes panels share.

Small multiples rather than one crowded plot: one panel per channel or per backend, so
no series hides another. Panels of one chart that are meant to be compared share their
value axis (one channel's latencies against another's, one variant's queue against the
other's). A panel whose series are zero throughout is not drawn at all, on a 0..1 axis
or any other: the page says in one line what was left out ("No dead letters and no
parked events during the run."), which is the finding.

Nothing here imports matplotlib, so the decisions are tested without drawing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

#: queues are drawn as the highest sample in each of at most this many bins: 15 or 16
#: minutes on a day and its drain, wide enough that a burst every quarter of an hour (the
#: stores' summaries to the ERP) reads as the level it reaches, not as a comb
TIME_BINS = 120
#: the gauges are sampled once a simulated minute; a bin is a whole number of minutes
SAMPLE_S = 60.0
#: headroom above the highest value on a shared value axis
HEADROOM = 1.08


class QueueLine:
    """One gauge drawn in a queue panel. A plain class (see svg/layout.py's `Rect`)."""

    def __init__(self, gauge: str, label: str, absent: str) -> None:
        self.gauge = gauge
        self.label = label
        #: how the left-out line names it when it stayed at zero ("no ...")
        self.absent = absent


class QueuePanel:
    """One backend (or one queue of the hub's own) and the gauges that show it queuing;
    the first line is drawn filled, the others as lines over it. A plain class."""

    def __init__(self, key: str, title: str, lines: tuple[QueueLine, ...], absent: str) -> None:
        self.key = key
        self.title = title
        self.lines = lines
        self.absent = absent


def _lane(system: str) -> QueueLine:
    return QueueLine(
        f"{system}_queue_depth",
        "hub's calls to it (waiting, in flight, retrying)",
        f"queue at the {system}",
    )


#: the estate's queues, backend by backend, then the hub's own; a lane the hub has to a
#: backend not named here gets a panel of its own after these
QUEUE_PANELS: tuple[QueuePanel, ...] = (
    QueuePanel(
        "erp",
        "ERP",
        (
            QueueLine(
                "erp_queue_depth",
                "hub's write queue (waiting, in flight, retrying)",
                "ERP write queue in the hub",
            ),
            QueueLine("erp_backlog", "ERP's own backlog", "ERP backlog"),
            QueueLine("erp_awaiting_import", "writes awaiting import", "ERP import backlog"),
        ),
        "ERP queue",
    ),
    QueuePanel(
        "wms",
        "WMS",
        (
            _lane("wms"),
            QueueLine("wms_pick_backlog", "orders waiting for a picker", "DC pick backlog"),
        ),
        "WMS queue",
    ),
    QueuePanel("payment", "Payment gateway", (_lane("payment"),), "payment gateway queue"),
    QueuePanel("marketplace", "Marketplace", (_lane("marketplace"),), "marketplace queue"),
    QueuePanel(
        "pos",
        "Stores (POS)",
        (
            _lane("pos"),
            QueueLine("pos_backlog", "tills' offline upload backlog", "till upload backlog"),
        ),
        "store (POS) queue",
    ),
    QueuePanel(
        "dead_letters",
        "Hub: dead-letter queue",
        (QueueLine("dead_letter_depth", "dead letters", "dead letters"),),
        "dead letters",
    ),
    QueuePanel(
        "parked",
        "Hub: parked events",
        (QueueLine("parked_events", "events waiting for their order", "parked events"),),
        "parked events",
    ),
    QueuePanel(
        "feed",
        "Hub: stock changes not yet pushed to the channels",
        (QueueLine("feed_pending_changes", "SKU positions", "feed backlog"),),
        "feed backlog",
    ),
)


def queue_panels(gauges: Iterable[str]) -> list[QueuePanel]:
    """Every queue panel the sampled `gauges` can fill, lines without a gauge dropped;
    a lane to a backend not in `QUEUE_PANELS` gets a panel named for it."""
    present = set(gauges)
    panels = []
    for panel in QUEUE_PANELS:
        lines = tuple(line for line in panel.lines if line.gauge in present)
        if lines:
            panels.append(QueuePanel(panel.key, panel.title, lines, panel.absent))
    known = {line.gauge for panel in QUEUE_PANELS for line in panel.lines}
    for gauge in sorted(present - known):
        if gauge.endswith("_queue_depth"):
            system = gauge.removesuffix("_queue_depth")
            panels.append(QueuePanel(system, system, (_lane(system),), f"{system} queue"))
    return panels


def active(values: Iterable[float]) -> bool:
    """Something happened: a value other than zero."""
    return any(v != 0 for v in values)


def kept_queue_panels(
    gauges: Mapping[str, Sequence[float]],
) -> tuple[list[QueuePanel], list[str]]:
    """The queue panels worth drawing, each with only the lines that ever left zero,
    and what was left out (a whole panel, or a line of a panel that is drawn)."""
    kept, left_out = [], []
    for panel in queue_panels(gauges):
        lines = tuple(line for line in panel.lines if active(gauges[line.gauge]))
        if not lines:
            left_out.append(panel.absent)
            continue
        left_out += [line.absent for line in panel.lines if line not in lines]
        kept.append(QueuePanel(panel.key, panel.title, lines, panel.absent))
    return kept, left_out


def left_out_sentence(absent: Sequence[str], during: str = "during the run") -> str:
    """One line for what a chart left out: "No dead letters and no parked events during
    the run." ("" when nothing was)."""
    if not absent:
        return ""
    items = [f"no {name}" for name in absent]
    text = items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"
    return f"{text[0].upper()}{text[1:]} {during}."


def bin_seconds(span_s: float, bins: int = TIME_BINS) -> float:
    """A whole number of sample intervals, so that `span_s` makes at most `bins` bins."""
    return SAMPLE_S * max(1, math.ceil(span_s / SAMPLE_S / bins))


def peak_bins(
    t: Sequence[float], values: Sequence[float], bin_s: float
) -> tuple[list[float], list[float]]:
    """(bin starts, highest sample in each bin). A queue sampled once a minute is a comb
    of one or two calls in flight at one sample and none at the next; the highest
    sample per bin draws the same queue as a level that reads, and keeps every peak."""
    starts: list[float] = []
    peaks: list[float] = []
    for at, value in zip(t, values, strict=False):
        start = (at // bin_s) * bin_s
        if starts and starts[-1] == start:
            peaks[-1] = max(peaks[-1], value)
        else:
            starts.append(start)
            peaks.append(value)
    return starts, peaks


def shared_top(lines: Iterable[Sequence[float]], headroom: float = HEADROOM) -> float:
    """The top of a value axis shared by every panel that draws one of `lines`: the
    highest value among them, with headroom; 1.0 when there is none (a panel that
    would be all zero is left out before it comes to this)."""
    top = max((max(line) for line in lines if line), default=0.0)
    return top * headroom if top > 0 else 1.0


def shared_log_range(lines: Iterable[Sequence[float]], floor: float = 0.01) -> tuple[float, float]:
    """(low, high) of a log value axis shared by panels: the smallest and largest value
    among them, the smallest no lower than `floor`."""
    values = [v for line in lines for v in line]
    if not values:
        return (floor, 1.0)
    return (max(min(values), floor), max(max(values), floor * 10))


def present_and_missing(
    expected: Sequence[str], drawn: Mapping[str, Sequence[float]]
) -> tuple[list[str], list[str]]:
    """Of the channels in `expected` (in its order), those with something to draw and
    those without."""
    present = [name for name in expected if drawn.get(name)]
    return present, [name for name in expected if not drawn.get(name)]


def tail_position(pct: float) -> float:
    """Where percentile rank `pct` sits on a latency chart's stretched percentile axis:
    -log10 of the share of values above it, so p50, p90, p99 and p99.9 are 0.3, 1, 2
    and 3, and the tail, where designs differ, gets as much room as the body."""
    return -math.log10(max(1e-9, 1.0 - pct / 100.0))
