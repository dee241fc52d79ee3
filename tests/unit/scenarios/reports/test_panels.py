"""Which panels a chart draws and which it leaves out, and the axes panels share:
decided without drawing (scenarios/reports/panels.py)."""

from __future__ import annotations

from scenarios.reports.panels import (
    bin_seconds,
    kept_queue_panels,
    left_out_sentence,
    peak_bins,
    present_and_missing,
    queue_panels,
    shared_log_range,
    shared_top,
)

ZERO = [0.0] * 6


def test_every_lane_gets_a_panel_named_for_its_backend() -> None:
    gauges = ["erp_queue_depth", "erp_backlog", "wms_queue_depth", "tax_queue_depth"]
    found = queue_panels(gauges)
    assert [p.key for p in found] == ["erp", "wms", "tax"]
    erp = found[0]
    assert [line.gauge for line in erp.lines] == ["erp_queue_depth", "erp_backlog"]
    # a lane to a backend the table does not know still gets its own panel
    assert [line.gauge for line in found[2].lines] == ["tax_queue_depth"]


def test_panels_all_zero_are_left_out_and_named() -> None:
    gauges = {
        "erp_queue_depth": [0.0, 3.0, 120.0, 2.0, 0.0, 1.0],
        "erp_backlog": ZERO,
        "wms_queue_depth": [0.0, 1.0, 0.0, 0.0, 0.0, 0.0],
        "payment_queue_depth": ZERO,
        "dead_letter_depth": ZERO,
        "parked_events": ZERO,
    }
    kept, left_out = kept_queue_panels(gauges)
    assert [p.key for p in kept] == ["erp", "wms"]
    # the ERP panel is drawn, without its all-zero line
    assert [line.gauge for line in kept[0].lines] == ["erp_queue_depth"]
    assert left_out == ["ERP backlog", "payment gateway queue", "dead letters", "parked events"]
    assert left_out_sentence(left_out) == (
        "No ERP backlog, no payment gateway queue, no dead letters and no parked events "
        "during the run."
    )


def test_nothing_left_out_says_nothing() -> None:
    assert left_out_sentence([]) == ""
    assert left_out_sentence(["dead letters"], "in any run") == "No dead letters in any run."


def test_a_queue_is_drawn_as_its_highest_sample_per_bin() -> None:
    # a comb: one call in flight at every other per-minute sample
    t = [60.0 * i for i in range(12)]
    comb = [1.0, 0.0] * 5 + [7.0, 0.0]
    starts, peaks = peak_bins(t, comb, bin_s=240.0)
    assert starts == [0.0, 240.0, 480.0]
    assert peaks == [1.0, 1.0, 7.0]  # a level that reads, the peak kept


def test_bins_are_whole_minutes_and_at_most_120_over_the_run() -> None:
    assert bin_seconds(1.5 * 3600.0) == 60.0
    assert bin_seconds(3 * 3600.0) == 120.0
    # a day and its six-hour drain: a quarter of an hour, so the stores' summaries to
    # the ERP every 15 minutes land in every bin
    assert bin_seconds(30 * 3600.0) == 900.0
    assert bin_seconds(32 * 3600.0) == 960.0
    assert bin_seconds(30 * 3600.0, bins=1800) == 60.0


def test_shared_axes_cover_every_panel_and_never_collapse_to_zero() -> None:
    assert shared_top([[0.0, 5.0], [100.0, 2.0], []]) == 100.0 * 1.08
    assert shared_top([[0.0], []]) == 1.0
    assert shared_log_range([[0.2, 30.0], [0.001, 4000.0]]) == (0.01, 4000.0)
    assert shared_log_range([[]]) == (0.01, 1.0)


def test_channels_with_nothing_to_draw_are_named_in_run_order() -> None:
    drawn = {"web": [1.0], "marketplace": [2.0], "click_collect": []}
    present, missing = present_and_missing(["click_collect", "marketplace", "web"], drawn)
    assert present == ["marketplace", "web"]
    assert missing == ["click_collect"]
