"""Expiring API credentials: an OAuth 2.0 authorisation server in front of a backend.

Cloud ERPs and marketplaces do not take anonymous calls: a client first asks the
token endpoint for an access token (the client-credentials grant of RFC 6749), sends
it with every request (`Authorization: Bearer ...`, RFC 6750), and asks again before it
expires. A request with a token that is missing, expired or revoked is answered 401
`invalid_token` and does nothing. Tokens are revoked (a security team rotating
secrets, a tenant admin signing every session out), and the token endpoint has outages
of its own while the API behind it is fine.

`TokenAuthority` wraps a backend's `handle` with all of that, and keeps the ground
truth the checker reads: tokens issued, 401s answered, token requests refused, and the
time the client spent unauthorised. A spell of it starts at the first refusal that
leaves the client without a valid token (a 401; or a token request refused once its
last token has run out, from that token's expiry) and ends when it is authorised
again: a token issued, or a request the backend accepts. A spell still open when the
run ends counts to the end. A client that lets its token lapse while it has nothing to
send is not unauthorised: nobody refused it anything.

Tokens are counters, not random draws: the same run issues the same tokens, and a
run without credentials draws nothing it did not draw before.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from simulators.rpc import Reply

if TYPE_CHECKING:  # the fault table and the contract read GUARDABLE without SimPy
    import simpy

__all__ = [
    "AUTH_TOKEN",
    "CLIENT_ID",
    "GRANT_TYPE",
    "GUARDABLE",
    "Guarded",
    "Spells",
    "TokenAuthority",
]

#: the token endpoint, as an operation of the guarded backend's API
AUTH_TOKEN = "auth.token"
#: the only grant a machine client has: no user, just the client's own identity
GRANT_TYPE = "client_credentials"
#: the client id the twin registered for the hub (`day.started` tells an external hub)
CLIENT_ID = "hub"
#: the backends a scenario can put behind expiring tokens (`token_lifetime`)
GUARDABLE = ("erp", "marketplace")


class Guarded(Protocol):
    """The backend behind the authority: anything with a `handle`."""

    def handle(self, operation: str, body: dict[str, Any], reply: Reply) -> None: ...


@dataclass(slots=True)
class Spells:
    """Time the client spent unauthorised, spell by spell."""

    count: int = 0
    total_s: float = 0.0
    longest_s: float = 0.0

    def add(self, length_s: float) -> None:
        self.count += 1
        self.total_s += length_s
        self.longest_s = max(self.longest_s, length_s)


class TokenAuthority:
    """The token endpoint and the bearer check of one backend's API."""

    __slots__ = (
        "_backend",
        "_env",
        "_next",
        "_tokens",
        "issued",
        "lifetime_s",
        "refused_token_requests",
        "refusing",
        "revocations",
        "revoked_tokens",
        "spells",
        "system",
        "unauthorised",
        "unauthorised_since",
    )

    def __init__(
        self, env: simpy.Environment, system: str, backend: Guarded, lifetime_s: float
    ) -> None:
        self._env = env
        self.system = system
        self._backend = backend
        self.lifetime_s = lifetime_s
        #: every live token (issued, not revoked) -> when it expires
        self._tokens: dict[str, float] = {}
        self._next = 0
        #: an `auth_outage` fault is on: the token endpoint answers 503
        self.refusing = False
        self.issued = 0
        self.unauthorised = 0
        self.refused_token_requests = 0
        self.revocations = 0
        self.revoked_tokens = 0
        #: when the open spell started (it may lie ahead: the expiry of a token the
        #: client failed to replace); None: the client is authorised
        self.unauthorised_since: float | None = None
        self.spells = Spells()

    # -- the API ---------------------------------------------------------------------

    def handle(
        self,
        operation: str,
        body: dict[str, Any],
        reply: Reply,
        authorization: str | None = None,
    ) -> None:
        """A request to the guarded API: the token endpoint, or a call that must carry
        a valid bearer token."""
        if operation == AUTH_TOKEN:
            self._token_request(body, reply)
            return
        now = self._env.now
        expires_at = self._tokens.get(authorization) if authorization is not None else None
        if expires_at is None or expires_at <= now:
            self.unauthorised += 1
            if self.unauthorised_since is None or self.unauthorised_since > now:
                self.unauthorised_since = now
            reply(401, {"error": "invalid_token"})
            return
        since = self.unauthorised_since
        if since is not None and since <= now:
            self.spells.add(now - since)
            self.unauthorised_since = None
        self._backend.handle(operation, body, reply)

    def _token_request(self, body: dict[str, Any], reply: Reply) -> None:
        if body.get("grant_type") != GRANT_TYPE:
            reply(400, {"error": "unsupported_grant_type"})
            return
        if body.get("client_id") != CLIENT_ID:
            reply(401, {"error": "invalid_client"})
            return
        now = self._env.now
        if self.refusing:
            self.refused_token_requests += 1
            if self.unauthorised_since is None:
                self.unauthorised_since = max(now, self.valid_until())
            reply(503, {"error": "temporarily_unavailable"})
            return
        since = self.unauthorised_since
        if since is not None:
            if since <= now:
                self.spells.add(now - since)
            self.unauthorised_since = None  # authorised again (or in time: no spell)
        self._next += 1
        token = f"{self.system}-token-{self._next:06d}"
        self._tokens = {t: at for t, at in self._tokens.items() if at > now}
        self._tokens[token] = now + self.lifetime_s
        self.issued += 1
        reply(
            200,
            {"access_token": token, "token_type": "Bearer", "expires_in": self.lifetime_s},
        )

    # -- faults ------------------------------------------------------------------------

    def revoke_all(self) -> None:
        """Every token issued so far stops working at once (a `revoke` fault)."""
        self.revocations += 1
        self.revoked_tokens += sum(1 for at in self._tokens.values() if at > self._env.now)
        self._tokens = {}

    # -- truth -------------------------------------------------------------------------

    def valid_until(self) -> float:
        """When the client's last live token expires (0: it holds none)."""
        return max(self._tokens.values(), default=0.0)

    def authorised(self) -> bool:
        """Whether the client holds a token the API would accept now."""
        return self.valid_until() > self._env.now

    def unauthorised_s(self, end: float) -> Spells:
        """The spells up to `end`, an open one counted to it."""
        spells = Spells(self.spells.count, self.spells.total_s, self.spells.longest_s)
        since = self.unauthorised_since
        if since is not None and since < end:
            spells.add(end - since)
        return spells
