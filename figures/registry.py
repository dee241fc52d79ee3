"""Every published figure, by name, and rerunning them into the docs.

    python scripts/figures.py                     rerun every figure, rewrite its block
    python scripts/figures.py --only NAME         one figure (repeatable)
    python scripts/figures.py --quick             the quick ones (make generate)
    python scripts/figures.py --check             rewrite nothing; exit 1 if a block differs

`make figures` runs the first; tests/e2e/test_figures.py checks the quick figures in
`make test` and the expensive ones in `make scenarios`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from pathlib import Path

from figures import (
    blocks,
    controls,
    designs,
    designs_allocation,
    designs_sourcing,
    designs_tax,
    findings,
    library,
    messages,
    shrinking,
)
from figures.experiments import Results, run_experiments
from figures.figure import Cost, Figure

ROOT = Path(__file__).resolve().parent.parent

FIGURES: tuple[Figure, ...] = (
    *designs.FIGURES,
    *designs_tax.FIGURES,
    *designs_allocation.FIGURES,
    *designs_sourcing.FIGURES,
    *library.FIGURES,
    *findings.FIGURES,
    *controls.FIGURES,
    *messages.FIGURES,
    *shrinking.FIGURES,
)
BY_NAME = {figure.name: figure for figure in FIGURES}
assert len(BY_NAME) == len(FIGURES), "two figures share a name"


def select(names: Sequence[str] = (), cost: Cost | None = None) -> list[Figure]:
    unknown = [name for name in names if name not in BY_NAME]
    if unknown:
        raise KeyError(f"no figure {', '.join(unknown)}; the figures: {', '.join(BY_NAME)}")
    chosen = [BY_NAME[name] for name in names] if names else list(FIGURES)
    return [figure for figure in chosen if cost is None or figure.cost is cost]


def rerun(figures: Iterable[Figure], workers: int | None = None) -> Results:
    """Every experiment the figures show, each once."""
    return run_experiments(
        (experiment for figure in figures for experiment in figure.experiments), workers
    )


def expected(figure: Figure, results: Results) -> str:
    """The block as the code writes it: the begin marker's line and the body."""
    return blocks.begin_marker(figure.name) + "\n" + figure.body(results)


def written(figure: Figure, root: Path = ROOT) -> str:
    """The block as committed."""
    text = (root / figure.doc).read_text(encoding="utf-8")
    span = blocks.find(text, figure.name, figure.doc)
    return text[span.marker : span.end]


def difference(figure: Figure, results: Results, root: Path = ROOT) -> str:
    """A unified diff from the committed block to the produced one; '' when equal."""
    have, want = written(figure, root), expected(figure, results)
    if have == want:
        return ""
    diff = difflib.unified_diff(
        have.splitlines(keepends=True),
        want.splitlines(keepends=True),
        f"{figure.doc} (committed)",
        f"{figure.doc} (produced by the code)",
    )
    return "".join(diff)


def rewrite(figures: Iterable[Figure], results: Results, root: Path = ROOT) -> list[str]:
    """Write each figure's block into its doc; the names of the blocks that changed."""
    changed = []
    for figure in figures:
        path = root / figure.doc
        text = path.read_text(encoding="utf-8")
        fresh = blocks.replaced(text, figure.name, figure.body(results), figure.doc)
        if fresh != text:
            path.write_text(fresh, encoding="utf-8")
            changed.append(figure.name)
    return changed


def orphans(root: Path = ROOT) -> list[str]:
    """Blocks in the docs that no figure writes (a figure renamed or removed)."""
    found = []
    for path in [root / "README.md", *sorted((root / "docs").glob("*.md"))]:
        for name in blocks.names_in(path.read_text(encoding="utf-8")):
            figure = BY_NAME.get(name)
            if figure is None or (root / figure.doc) != path:
                found.append(f"{path.relative_to(root)}: {name}")
    return found
