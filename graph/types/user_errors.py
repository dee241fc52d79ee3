"""A mutation's business "no": `UserError` and its stable `UserErrorCode`, as Shopify's
`userErrors` are. A refusal is data in the payload, not a GraphQL error: the request was
well formed, and the twin said no for a reason a client can branch on."""

from __future__ import annotations

from enum import Enum

import strawberry

from graph.control import Outcome, Problem
from graph.types.enum_values import enum_value


@strawberry.enum(description="Why a mutation said no; stable for clients to branch on.")
class UserErrorCode(Enum):
    READ_ONLY = enum_value(
        "READ_ONLY",
        description="The API serves a finished run (or a live day that ended): nothing changes.",
    )
    IDEMPOTENCY_KEY_REUSED = enum_value(
        "IDEMPOTENCY_KEY_REUSED",
        description="The idempotency key was used before with a different input.",
    )
    INVALID = enum_value(
        "INVALID",
        description="The input breaks a rule the message explains (an empty list, a SKU twice).",
    )
    BAD_QUANTITY = enum_value(
        "BAD_QUANTITY", description="A line's quantity is out of range (1 to 100 units)."
    )
    UNKNOWN_SKU = enum_value("UNKNOWN_SKU", description="No SKU of the catalog has that id.")
    UNKNOWN_LOCATION = enum_value(
        "UNKNOWN_LOCATION", description="No store of the estate has that id."
    )
    UNKNOWN_CUSTOMER = enum_value(
        "UNKNOWN_CUSTOMER", description="No customer of the world has that id."
    )
    INSUFFICIENT_STOCK = enum_value(
        "INSUFFICIENT_STOCK",
        description="The channel shows fewer units available to sell than a line asks for.",
    )
    NOT_FOUND = enum_value("NOT_FOUND", description="No order (or channel of it) has that id.")
    ORDER_NOT_CANCELLABLE = enum_value(
        "ORDER_NOT_CANCELLABLE",
        description="The order is picked or further on, or already cancelled.",
    )
    ORDER_NOT_RETURNABLE = enum_value(
        "ORDER_NOT_RETURNABLE",
        description="The order has not been shipped or collected, so nothing can come back.",
    )
    QUANTITY_NOT_RETURNABLE = enum_value(
        "QUANTITY_NOT_RETURNABLE",
        description="More units asked back than were delivered less earlier returns' claims.",
    )
    UNKNOWN_FAULT_TARGET = enum_value(
        "UNKNOWN_FAULT_TARGET", description="The fault's target is no system, link or region."
    )
    INVALID_FAULT = enum_value(
        "INVALID_FAULT",
        description="The target cannot have that kind of fault, or the rate does not fit it.",
    )
    FAULT_NOT_FOUND = enum_value(
        "FAULT_NOT_FOUND", description="No fault has the `faultId` given to END."
    )
    NOT_YET_VISIBLE = enum_value(
        "NOT_YET_VISIBLE",
        description=(
            "The channel took the request but the hub has not recorded it yet (a link may be "
            "down); the payload's id can be queried later."
        ),
    )
    HUB_UNAVAILABLE = enum_value(
        "HUB_UNAVAILABLE", description="The hub is down (a crash fault); retry once it restarts."
    )


@strawberry.federation.type(
    shareable=True, description="A business reason a mutation did not (fully) happen."
)
class UserError:
    field: list[str] | None = strawberry.field(
        description='Path to the input field at fault, e.g. ["input", "lines", "0", "quantity"].'
    )
    message: str = strawberry.field(
        description="What was wrong, in English for a person; free text, not to branch on."
    )
    code: UserErrorCode = strawberry.field(description="The reason, for code to branch on.")

    @classmethod
    def from_domain(cls, problem: Problem) -> UserError:
        return cls(
            field=list(problem.field) or None,
            message=problem.message,
            code=UserErrorCode(problem.code),
        )

    @classmethod
    def all_of(cls, outcome: Outcome) -> list[UserError]:
        """Every business "no" in a mutation's outcome, for its payload's `userErrors`."""
        return [cls.from_domain(problem) for problem in outcome.problems]
