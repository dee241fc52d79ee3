"""The hub's access tokens: one per backend whose API wants one.

A cloud ERP or a marketplace's seller API takes a call only with a bearer token the
hub got from its token endpoint (OAuth 2.0, client-credentials grant), and a token
expires. The call manager (hub/resilience/calls.py) keeps one `Credential` per such
lane and works it as a careful client does: it asks for a token before the first call,
renews it a margin ahead of its expiry (`HubPolicy.token_refresh_margin_s`) while the
old one still works, holds the lane's calls (none lost) while it has none, and on a
401 drops the token the call carried, gets a new one and sends the call again without
spending one of its retries. The token call itself retries with backoff for as long
as it takes: a token endpoint that is down is a wait, never a failure of the calls.

Which lanes need a token is configuration (`Topology.token_systems`), as it would be
for a real integration; a lane that was not told and meets a 401 `invalid_token`
learns it then. Nothing here is durable: a restarted hub rebuilds its tokens from the
answers in its journal, or, when they expired meanwhile, asks for new ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hub.ports import Body

__all__ = ["AUTH_TOKEN", "TOKEN_REQUEST", "Credential"]

#: the token endpoint, as the contract names it on every guarded backend
AUTH_TOKEN = "auth.token"
#: what the hub asks the token endpoint with: its own identity, no user
TOKEN_REQUEST: dict[str, Any] = {"grant_type": "client_credentials", "client_id": "hub"}
#: a token is not sent in its last seconds: a call on the wire as it expires would be
#: refused (at most a quarter of the token's life)
EXPIRY_LEEWAY_S = 10.0


@dataclass(slots=True)
class Credential:
    """The hub's token for one backend, and what became of it."""

    system: str
    token: str | None = None
    #: until then the token is sent (its expiry, less a leeway for the wire)
    usable_until: float = 0.0
    #: from then on, a new token is asked for while this one still works
    renew_at: float = 0.0
    #: a token call is in flight or waiting to retry
    fetching: bool = False
    #: tokens received, calls refused with 401, token calls that failed
    received: int = 0
    rejected: int = 0
    failed: int = 0

    def current(self, now: float) -> str | None:
        """The token to send with a call now; None: hold the call."""
        token = self.token
        return token if token is not None and now < self.usable_until else None

    def wants_renewal(self, now: float) -> bool:
        """No token call is out, and there is no token or it is due for renewal."""
        return not self.fetching and (self.token is None or now >= self.renew_at)

    def accept(self, answer: Body, asked_at: float, margin_s: float) -> bool:
        """Take a token endpoint's answer to a call sent at `asked_at`; False if it
        holds no usable token. Its life is counted from the asking, not the answer:
        the endpoint started the clock somewhere in between. A margin larger than half
        the token's life is cut to half, or a short-lived token would be renewed on
        every call."""
        token = answer.get("access_token")
        lifetime = answer.get("expires_in")
        if not isinstance(token, str) or not token or not isinstance(lifetime, int | float):
            return False
        life = float(lifetime)
        self.token = token
        self.usable_until = asked_at + life - min(EXPIRY_LEEWAY_S, life / 4)
        self.renew_at = asked_at + life - min(margin_s, life / 2)
        self.fetching = False
        self.received += 1
        return True

    def drop(self, token: str | None) -> None:
        """A call carrying `token` was refused: forget it, unless a newer one came."""
        if token is not None and token == self.token:
            self.token = None
