"""A backend's access tokens as the operations view shows them: whether the hub may call
it now, and how long its API has refused the hub.

Read from the operations snapshot's `credentials` section (scenarios/checking/
credentials.py), which is the token endpoints' and the APIs' own record: the same for
the built-in hub and an external one. A snapshot written before the section existed
shows none.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import strawberry

from graph.types.systems import IntegrationSystem
from graph.types.time import at

__all__ = ["BackendCredential", "credentials"]


def _moment(seconds: float | None) -> datetime | None:
    return None if seconds is None else at(seconds)


@strawberry.type(
    description=(
        "A backend whose API wants an OAuth access token this run (`token_lifetime` in "
        "the scenario), as its token endpoint and its API saw the hub."
    )
)
class BackendCredential:
    backend: IntegrationSystem = strawberry.field(description="The backend.")
    authorized: bool = strawberry.field(
        description="Whether the hub holds a token the API would take now."
    )
    token_expires_at: datetime | None = strawberry.field(
        description=(
            "When the newest live token the backend issued the hub expires (simulated "
            "time); null when it holds none (expired, revoked, never asked)."
        )
    )
    tokens_issued: int = strawberry.field(description="Tokens the token endpoint issued the hub.")
    unauthorized_responses: int = strawberry.field(
        description="Calls the API refused with 401 for want of a valid token."
    )
    token_requests_refused: int = strawberry.field(
        description="Token requests the token endpoint refused while it was down."
    )
    unauthorized_seconds: float = strawberry.field(
        description=(
            "Simulated seconds the hub spent refused for want of a valid token so far: from "
            "a refusal to its next token or call taken."
        )
    )
    unauthorized_since: datetime | None = strawberry.field(
        description="When the refusal now running started; null when the hub is authorized."
    )

    @classmethod
    def from_domain(cls, row: dict[str, Any]) -> BackendCredential:
        return cls(
            backend=IntegrationSystem.from_domain(row["system"]),
            authorized=bool(row["authorised"]),
            token_expires_at=_moment(row["token_expires_at"]),
            tokens_issued=int(row["tokens_issued"]),
            unauthorized_responses=int(row["unauthorised_401"]),
            token_requests_refused=int(row["token_requests_refused"]),
            unauthorized_seconds=float(row["unauthorised_s"]),
            unauthorized_since=_moment(row["unauthorised_since"]),
        )


def credentials(ops: dict[str, Any]) -> list[BackendCredential]:
    """The snapshot's guarded backends ([] from one written before they existed)."""
    return [BackendCredential.from_domain(row) for row in ops.get("credentials") or ()]
