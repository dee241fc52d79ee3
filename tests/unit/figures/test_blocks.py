"""The figure blocks: written only between their markers, and a hand edit inside one
is a difference the figures test reports."""

from __future__ import annotations

from pathlib import Path

import pytest

from figures import blocks, registry
from figures.experiments import Experiment, Outcome, Results, VariantRuns, compare, run
from figures.figure import Cost, Figure

EXPERIMENT = run("steady-day", 1, "scenario.scale=0.1")


def _results(oversold: int) -> Results:
    report = {"metrics": {"oversell": {"oversold_units": oversold}}}
    variants = [VariantRuns("as written", (), [report])]
    return Results({EXPERIMENT: Outcome(EXPERIMENT, variants)})


def _render(results: Results) -> str:
    units = results.report(EXPERIMENT)["metrics"]["oversell"]["oversold_units"]
    return f"| oversold units |\n|---|\n| {units} |"


FIGURE = Figure("tiny", "doc.md", Cost.QUICK, (EXPERIMENT,), _render)


def _doc(tmp_path: Path) -> Path:
    path = tmp_path / "doc.md"
    path.write_text(
        "# Before\n\nProse.\n\n"
        + blocks.begin_marker("tiny")
        + "\nstale\n"
        + blocks.end_marker("tiny")
        + "\n\nAfter, 42 units of prose.\n",
        encoding="utf-8",
    )
    return path


def test_a_rewrite_changes_the_block_and_nothing_around_it(tmp_path: Path) -> None:
    path = _doc(tmp_path)
    assert registry.rewrite([FIGURE], _results(7), tmp_path) == ["tiny"]
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Before\n\nProse.\n\n<!-- figures:tiny begin")
    assert text.endswith("<!-- figures:tiny end -->\n\nAfter, 42 units of prose.\n")
    assert "retailtwin run steady-day --seed 1 --set scenario.scale=0.1" in text
    assert "| 7 |" in text and "stale" not in text
    assert registry.difference(FIGURE, _results(7), tmp_path) == ""
    assert registry.rewrite([FIGURE], _results(7), tmp_path) == []  # already current


def test_a_figure_edited_by_hand_differs_from_the_code(tmp_path: Path) -> None:
    path = _doc(tmp_path)
    registry.rewrite([FIGURE], _results(7), tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("| 7 |", "| 6 |"), encoding="utf-8")
    diff = registry.difference(FIGURE, _results(7), tmp_path)
    assert "-| 6 |" in diff and "+| 7 |" in diff
    # and a change in the code's figure is a difference from the committed block
    registry.rewrite([FIGURE], _results(7), tmp_path)
    assert registry.difference(FIGURE, _results(8), tmp_path) != ""


def test_prose_outside_a_block_is_not_checked(tmp_path: Path) -> None:
    path = _doc(tmp_path)
    registry.rewrite([FIGURE], _results(7), tmp_path)
    path.write_text(path.read_text(encoding="utf-8").replace("42", "43"), encoding="utf-8")
    assert registry.difference(FIGURE, _results(7), tmp_path) == ""


def test_a_block_missing_unterminated_or_twice_is_refused() -> None:
    begin, end = blocks.begin_marker("x"), blocks.end_marker("x")
    with pytest.raises(blocks.BlockError, match="no figure block 'x'"):
        blocks.find("nothing here\n", "x")
    with pytest.raises(blocks.BlockError, match="has no"):
        blocks.find(f"{begin}\nbody\n", "x")
    with pytest.raises(blocks.BlockError, match="2 times"):
        blocks.find(f"{begin}\na\n{end}\n{begin}\nb\n{end}\n", "x")
    assert blocks.names_in(f"{begin}\na\n{end}\n") == ["x"]


def test_commands_are_printed_as_typed() -> None:
    assert EXPERIMENT.command == "retailtwin run steady-day --seed 1 --set scenario.scale=0.1"
    experiment = compare(
        "erp-outage", 5, 5, {"hub.defects": ['["drop_erp_orders"]', "[]"]}, "scenario.scale=0.3"
    )
    assert experiment.command == (
        "retailtwin compare erp-outage --set scenario.scale=0.3 "
        "--vary 'hub.defects=[\"drop_erp_orders\"],[]' --seeds 5 --seed 5"
    )
    with pytest.raises(ValueError, match="one seed"):
        Experiment("steady-day", 1, seeds=3)
    lost = Experiment("steady-day", 1, ('hub.defects=["drop_erp_orders"]',), shrink=True)
    assert lost.command == (
        "retailtwin shrink steady-day --seed 1 --set 'hub.defects=[\"drop_erp_orders\"]'"
    )


def test_figure_names_are_unique_and_every_doc_block_is_known() -> None:
    assert len(registry.BY_NAME) == len(registry.FIGURES)
    for figure in registry.FIGURES:
        assert figure.experiments, figure.name
        assert (registry.ROOT / figure.doc).is_file(), figure.doc


def test_an_indented_block_inside_a_list_item_keeps_its_indent(tmp_path: Path) -> None:
    def quote(results: Results) -> str:
        return f"  `{_render(results).splitlines()[-1]}`"

    figure = Figure("item", "doc.md", Cost.QUICK, (EXPERIMENT,), quote, command_block=False)
    path = tmp_path / "doc.md"
    path.write_text(
        "- a defect:\n"
        f"  {blocks.begin_marker('item')}\n"
        "  `old`\n"
        f"  {blocks.end_marker('item')}\n"
        "- next item\n",
        encoding="utf-8",
    )
    registry.rewrite([figure], _results(3), tmp_path)
    assert path.read_text(encoding="utf-8") == (
        "- a defect:\n"
        f"  {blocks.begin_marker('item')}\n"
        "  `| 3 |`\n"
        f"  {blocks.end_marker('item')}\n"
        "- next item\n"
    )
    assert registry.difference(figure, _results(3), tmp_path) == ""
