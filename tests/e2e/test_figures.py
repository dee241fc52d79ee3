"""Every figure README.md and docs/ publish is what the code produces now: each block
is rerun from its command lines and rendered, and must equal the committed block
character for character. The quick figures run in `make test`, the expensive ones in
`make scenarios`. A failure prints the diff and the command that rewrites the block."""

from __future__ import annotations

import pytest

from figures import registry
from figures.experiments import Results
from figures.figure import Cost

#: simulated time only: run with the unit tier, beside the head-started wall-clock runs
#: (tests/head_start.py), not after them
COMPUTES_ONLY = True
QUICK = [figure.name for figure in registry.select(cost=Cost.QUICK)]
EXPENSIVE = [figure.name for figure in registry.select(cost=Cost.EXPENSIVE)]


@pytest.fixture(scope="module")
def quick_results() -> Results:
    return registry.rerun(registry.select(QUICK))


@pytest.fixture(scope="module")
def expensive_results() -> Results:
    return registry.rerun(registry.select(EXPENSIVE))


def _assert_current(name: str, results: Results) -> None:
    figure = registry.BY_NAME[name]
    diff = registry.difference(figure, results)
    assert not diff, (
        f"{figure.doc}'s figure block {figure.name} is not what the code produces; "
        f"`python scripts/figures.py --only {figure.name}` rewrites it:\n{diff}"
    )


@pytest.mark.parametrize("name", QUICK)
def test_quick_figure_is_what_the_code_produces(name: str, quick_results: Results) -> None:
    _assert_current(name, quick_results)


@pytest.mark.slow
@pytest.mark.parametrize("name", EXPENSIVE)
def test_expensive_figure_is_what_the_code_produces(name: str, expensive_results: Results) -> None:
    _assert_current(name, expensive_results)


def test_every_block_in_the_docs_belongs_to_a_figure() -> None:
    assert registry.orphans() == []
