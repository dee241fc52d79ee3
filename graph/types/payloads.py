"""What every mutation payload has, as Shopify's payloads do: its `userErrors`."""

from __future__ import annotations

import strawberry

from graph.types.user_errors import UserError


@strawberry.type
class MutationPayload:
    """The base of each `...Payload`: not a GraphQL type of its own, only the field every
    payload shares, described once."""

    user_errors: list[UserError] = strawberry.field(
        description="Why the mutation did not (fully) happen; empty when it did."
    )
