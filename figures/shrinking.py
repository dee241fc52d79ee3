"""docs/reports.md's example of `retailtwin shrink`: the command's own output for a hub
that drops every 50th ERP order, as the code prints it today."""

from __future__ import annotations

from figures.experiments import Experiment, Results
from figures.figure import Cost, Figure

LOST_ORDERS = Experiment("steady-day", 1, ('hub.defects=["drop_erp_orders"]',), shrink=True)


def transcript(results: Results) -> str:
    return "```\n" + results[LOST_ORDERS].transcript + "\n```"


FIGURES = (
    Figure(
        "shrink-example",
        "docs/reports.md",
        Cost.QUICK,
        (LOST_ORDERS,),
        transcript,
        command_block=False,
    ),
)
