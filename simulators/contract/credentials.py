"""Expiring credentials in the contract: the token endpoint every guardable backend
has, the 401 any of its other operations may answer, and the bearer scheme.

Why a module of its own: which backends want a token is the scenario's choice
(`token_lifetime`), not the backend's, so the contract documents the possibility once,
the same on every backend that can be guarded (`GUARDABLE`), and `day.started` says
which ones this run guards (`topology.credentials`). Another backend joins by being
passed through `guardable` in the registry.
"""

from __future__ import annotations

from dataclasses import replace

from simulators.contract.common import ERROR
from simulators.contract.schema import const, number, obj, string
from simulators.contract.tables import Answer, Operation, System
from simulators.credentials import AUTH_TOKEN, CLIENT_ID, GRANT_TYPE, GUARDABLE

__all__ = ["BEARER", "GUARDABLE", "SCHEME", "TOKEN_OPERATIONS", "UNAUTHORISED", "guardable"]

#: the security scheme's name in the document's components
SCHEME = "bearerToken"
BEARER = {
    "type": "http",
    "scheme": "bearer",
    "description": "An access token from the backend's own `auth.token` (OAuth 2.0 "
    "client-credentials grant, RFC 6749 section 4.4), sent as `Authorization: Bearer "
    "TOKEN` (RFC 6750). Only the backends `day.started` lists in "
    "`topology.credentials` want one; the others ignore the header.",
}

UNAUTHORISED = Answer(
    401,
    "Only when this run guards the backend (`day.started`'s `topology.credentials`): the "
    "call carried no access token, or one that expired or was revoked "
    "(`invalid_token`). Nothing was done: get a new token from `auth.token` and send the "
    "call again.",
    ERROR,
)

_TOKEN = Operation(
    "Get an access token",
    "The token endpoint (OAuth 2.0 client-credentials grant). The token answers every "
    "other operation of this backend until `expires_in` simulated seconds have passed, "
    "or until a `revoke` fault revokes it; a new token does not end the old ones. Renew "
    "it before it expires: a call that arrives with an expired token is refused. An "
    "`auth_outage` fault makes this endpoint answer 503 while the API behind it works: "
    "keep the calls waiting and retry with backoff.",
    obj(
        "The client's own identity: no user, no secret in this twin.",
        {
            "grant_type": const(GRANT_TYPE, "The only grant: client credentials."),
            "client_id": string(f"The hub's client id: `{CLIENT_ID}`.", min_length=1),
        },
        title="TokenRequest",
    ),
    (
        Answer(
            200,
            "A token issued.",
            obj(
                "An access token (RFC 6749 section 5.1).",
                {
                    "access_token": string("Send it as `Authorization: Bearer TOKEN`."),
                    "token_type": const("Bearer", "How to send it."),
                    "expires_in": number(
                        "Simulated seconds it lives from its issue (`token_lifetime`).",
                        minimum=0,
                    ),
                },
                title="AccessToken",
            ),
        ),
        Answer(400, "`unsupported_grant_type`: a grant other than client credentials.", ERROR),
        Answer(401, f"`invalid_client`: a client id other than `{CLIENT_ID}`.", ERROR),
        Answer(
            404,
            "This run does not guard the backend (`topology.credentials` does not list "
            "it): its API has no token endpoint and wants no token.",
            ERROR,
        ),
        Answer(
            503,
            "`temporarily_unavailable`: the token endpoint is down (an `auth_outage` "
            "fault); no token was issued. Try again later.",
            ERROR,
        ),
    ),
    {"grant_type": GRANT_TYPE, "client_id": CLIENT_ID},
)

#: the operations the credentials add to a guardable backend
TOKEN_OPERATIONS = {AUTH_TOKEN: _TOKEN}


def guardable(system: System) -> System:
    """`system` as a backend whose API the scenario may put behind tokens: with the
    token endpoint, and a 401 any other operation may answer. The API's failures (its
    outages, its rate limit) move onto its own operations: the token endpoint is an
    identity provider of its own, which answers only what it documents."""
    assert system.name in GUARDABLE, f"{system.name} cannot be guarded (simulators.credentials)"
    guarded = {
        name: replace(operation, answers=(*operation.answers, *system.failures, UNAUTHORISED))
        for name, operation in system.operations.items()
    }
    return replace(system, operations={**guarded, **TOKEN_OPERATIONS}, failures=())
