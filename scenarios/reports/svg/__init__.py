"""A small inline-SVG renderer for the run's charts, in plain Python.

`run --out DIR` draws report.html's six charts on every run, and matplotlib cost most of
what that took: about 0.6 s of CPU time to import it and numpy, then about 0.5 s to
draw six figures through its artists, with text drawn as glyph paths. These charts are
always the same few kinds of panel (step lines over a time or percentile axis, a filled
step, shaded spans, reference lines, a legend), so they are written out here as SVG
elements directly, importing nothing heavy.

Text is SVG `<text>` in the generic `sans-serif` family: the page must open offline
with nothing fetched, a generic family needs no font file (every browser maps it to a
font it has), and text kept as text stays searchable and selectable, where
matplotlib's glyph paths were neither. Its width is estimated from a sans-serif's
advance widths (`metrics`), erring wide, to size the right margin for a legend and to
shrink a title that would not fit.

One module, one job: `scale` maps values to a panel's extent, `ticks` picks the round
values an axis is labelled with (linear, durations on a log scale), `metrics` measures
text, `document` writes elements and escapes text, `layout` places panels in a figure,
`marks` draws the primitives (step lines, filled steps, spans, reference lines, legend
entries), `panel` draws one panel with its axes, and `figure` puts the panels in one
`<svg>` whose ids all start with the chart's name. The comparison's charts are still
drawn by matplotlib (`scenarios/reports/charts.py`); both take their colours and sizes
from `scenarios.reports.style`.
"""
