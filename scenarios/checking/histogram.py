"""A streaming latency histogram: percentiles to a stated precision without keeping
every sample.

Why: a black-friday run's sync lag is millions of waits; holding each as an object to
sort it for three percentiles cost the judge more memory than anything else it does.
A histogram keeps one counter per value range instead, however many samples arrive.

Precision, as HdrHistogram defines it (HdrHistogram_py, `hdrh`, 3 significant
digits): waits are recorded in whole milliseconds (rounded to the nearest), and every
millisecond value below 2,048 ms has a counter of its own. Above that, values share
"equivalent value ranges": the values from 1,024 x 2^k to 2,048 x 2^k ms (k = 1, 2,
...) fall in ranges 2^k ms wide, so a range is at most 1/1,024 of any value in it; the
library's documentation states this as "value quantization within the range will thus
be no larger than 1/1,000th (or 0.1%) of any value". A percentile finds the range
holding the nearest-rank item exactly (the counts are exact) and reports the range's
highest value (HdrHistogram's own convention), capped at the exact max. So against the
exact nearest-rank value rounded to the millisecond, `v`, the reported value `r` obeys

    v <= r <= v + (width of v's range - 1 ms) < v x (1 + 1/1024)

that is: never below the exact value, above it by less than 0.098 % (`RELATIVE_ERROR`),
and exact below 2.048 s. A threshold is judged against `r`: a design never passes on
the histogram's rounding, and one within 0.1 % under its limit may be judged over it.
Count, censored count, max and mean (sum / count) are kept exactly alongside.

The counts are kept sparse (range -> count) and only the library's value quantization
is used: its own histogram keeps a dense array sized by a highest trackable value
(23,552 counters, 188 KB, for 1 ms to 30 days), which the report's charts would need per
ten-minute bin and channel, and it drops a value above that highest one silently. The
quantization has no upper limit, so neither has this. The layout's parameters are read
from the library; the per-record lookup is the same shift computed inline (the
library's takes a few method calls and a bin() string, once per record, millions per
run), and a test holds it equal to the library's get_lowest_equivalent_value.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from hdrh.histogram import HdrHistogram

#: significant decimal digits HdrHistogram keeps (its `significant_figures`)
SIGNIFICANT_DIGITS = 3
#: what one recorded unit is, in seconds: waits are recorded in whole milliseconds
UNIT_S = 0.001
#: the largest share of a value that its equivalent range spans, and so the most a
#: reported percentile can exceed the exact one by (it is never below it)
RELATIVE_ERROR = 1 / 1024
#: values below this many units each have a counter of their own (exact)
EXACT_BELOW_UNITS = 2048

# the library's value quantization; its own counters (highest trackable value 2) stay
# tiny and unused
_QUANTIZER = HdrHistogram(1, 2, SIGNIFICANT_DIGITS)
#: the library's layout for these digits: values below its sub-bucket count are exact,
#: and a value of b bits shares its range with the others equal in their top
#: log2(sub-bucket count) bits. Read from the library, not assumed (a test holds
#: `_low` equal to its get_lowest_equivalent_value).
if _QUANTIZER.sub_bucket_count != EXACT_BELOW_UNITS or _QUANTIZER.unit_magnitude != 0:
    raise ImportError("hdrh's layout for 3 significant digits is not the one stated here")
_KEPT_BITS = int(_QUANTIZER.sub_bucket_half_count_magnitude) + 1
#: recorded units per second
_PER_S = 1000


def precision() -> dict[str, float | int | str]:
    """The bound as report.json states it (`metrics.latency_precision`)."""
    return {
        "significant_digits": SIGNIFICANT_DIGITS,
        "unit_s": UNIT_S,
        "exact_below_s": EXACT_BELOW_UNITS * UNIT_S,
        "relative_error": round(RELATIVE_ERROR, 6),
        "rule": "percentiles are at or above the exact nearest-rank value (to the ms) "
        "and below it x (1 + relative_error); count, censored, max and mean are exact",
    }


#: the bound in a sentence, as report.html states it under the verdict
PRECISION_NOTE = (
    "Latency percentiles (p50, p95, p99, and the charts' latency curves and binned sync "
    f"lag) come from HdrHistogram at {SIGNIFICANT_DIGITS} significant digits: each is at "
    "or above the exact nearest-rank value (to the millisecond) and less than "
    f"{100 * RELATIVE_ERROR:.3f} % over it, exact below {EXACT_BELOW_UNITS * UNIT_S:g} s; "
    "an SLA is judged against the value shown. Counts, max and mean are exact."
)


def _units(seconds: float) -> int:
    return round(seconds * _PER_S)


def _low(units: int) -> int:
    """The lowest value of the equivalent range `units` falls in: the library's
    get_lowest_equivalent_value, computed inline because it runs once per record
    (millions per run) and the library's costs a few method calls and a bin() string."""
    if units < EXACT_BELOW_UNITS:  # negative ones too: kept exact
        return units
    shift = units.bit_length() - _KEPT_BITS
    return units >> shift << shift


def _high(low: int) -> int:
    """The highest value of the equivalent range starting at `low`."""
    if low < EXACT_BELOW_UNITS:
        return low
    return int(_QUANTIZER.get_highest_equivalent_value(low))


@dataclass(slots=True)
class LatencyHistogram:
    """Waits recorded one at a time: exact count, censored count, lowest censored
    wait, max and sum; counts per equivalent range for the percentiles."""

    count: int = 0
    censored: int = 0
    sum_s: float = 0.0
    max_s: float = -math.inf
    lowest_censored_s: float = math.inf
    #: lowest value of an equivalent range (in units) -> how many waits fell in it
    counts: dict[int, int] = field(default_factory=dict)

    def record(self, seconds: float, censored: bool = False) -> None:
        low = round(seconds * _PER_S)  # _low(_units(seconds)), inline: once per record
        if low >= EXACT_BELOW_UNITS:
            shift = low.bit_length() - _KEPT_BITS
            low = low >> shift << shift
        counts = self.counts
        counts[low] = counts.get(low, 0) + 1
        self.count += 1
        self.sum_s += seconds
        if seconds > self.max_s:
            self.max_s = seconds
        if censored:
            self.censored += 1
            if seconds < self.lowest_censored_s:
                self.lowest_censored_s = seconds

    def add_units(self, units_counts: Mapping[int, int]) -> None:
        """Add waits counted elsewhere in whole units (`UNIT_S`, rounded as `record`
        rounds): units -> how many. Only the ranges' counts and `count`; the caller
        keeps the exact max and sum (the sync-lag meter's tallies,
        `simulators/sync_lag.py`, which keep no wait one by one)."""
        counts = self.counts
        for units, n in units_counts.items():
            low = _low(units)
            counts[low] = counts.get(low, 0) + n
            self.count += n

    def merge(self, other: LatencyHistogram) -> None:
        """Add another histogram's records to this one (counts add exactly)."""
        for low, n in other.counts.items():
            self.counts[low] = self.counts.get(low, 0) + n
        self.count += other.count
        self.censored += other.censored
        self.sum_s += other.sum_s
        self.max_s = max(self.max_s, other.max_s)
        self.lowest_censored_s = min(self.lowest_censored_s, other.lowest_censored_s)

    def rank_of(self, q: float) -> int:
        """Nearest rank of percentile q (0..100): max(1, ceil(q/100 x count))."""
        return max(1, math.ceil(q / 100.0 * self.count))

    def _ranges_at(self, ranks: Sequence[int]) -> Iterator[int]:
        """The equivalent range (its lowest value) holding each rank (1-based,
        ascending) in sorted order."""
        wanted = iter(ranks)
        rank = next(wanted, None)
        seen = 0
        for low in sorted(self.counts):
            seen += self.counts[low]
            while rank is not None and rank <= seen:
                yield low
                rank = next(wanted, None)
            if rank is None:
                return

    def values_at(self, ranks: Sequence[int]) -> list[float]:
        """The value reported for each rank (1-based, ascending): the highest value of
        its equivalent range, never above the exact max, in seconds."""
        top = _units(self.max_s)
        return [min(_high(low), top) * UNIT_S for low in self._ranges_at(ranks)]

    def percentile(self, q: float) -> float:
        [value] = self.values_at([self.rank_of(q)])
        return value

    def rests_on_censored(self, q: float) -> bool:
        """Whether a censored wait sits at or below percentile q's item, judged at the
        histogram's precision: a censored wait in the same equivalent range counts, so
        the marking errs toward calling a value a lower bound."""
        if not self.censored:
            return False
        [low] = self._ranges_at([self.rank_of(q)])
        return _low(_units(self.lowest_censored_s)) <= low

    @property
    def mean_s(self) -> float:
        return self.sum_s / self.count


def record_all(seconds: Iterable[float]) -> LatencyHistogram:
    """A histogram of finished waits (none censored)."""
    histogram = LatencyHistogram()
    for value in seconds:
        histogram.record(value)
    return histogram
