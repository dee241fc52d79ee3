"""A published figure: a named block of a doc, the experiments it comes from, and how
their reports become the block's markdown."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass

from figures.experiments import Experiment, Results


class Cost(enum.Enum):
    """How long rerunning a figure takes, which decides the test that checks it."""

    #: seconds: checked by `make test` (tests/e2e/test_figures.py)
    QUICK = "quick"
    #: minutes: checked by `make scenarios` (the `slow` marker)
    EXPENSIVE = "expensive"


@dataclass(frozen=True, slots=True)
class Figure:
    name: str
    #: the doc that holds the block, from the repository's root
    doc: str
    cost: Cost
    experiments: tuple[Experiment, ...]
    #: the block's body from the experiments' results (the commands are added above it)
    render: Callable[[Results], str]
    #: print the commands as a shell block above the body; False where the body names
    #: its command itself (a line in a list)
    command_block: bool = True

    def body(self, results: Results) -> str:
        """The block as the code writes it."""
        text = self.render(results).strip("\n") + "\n"
        if not self.command_block:
            return text
        commands = "\n".join(experiment.command for experiment in self.experiments)
        return f"```sh\n{commands}\n```\n\n{text}"
