"""The token authority in front of a backend: what it answers, and the ground truth it
keeps of the time its client spent unauthorised."""

from __future__ import annotations

from typing import Any

import simpy

from simulators.credentials import AUTH_TOKEN, CLIENT_ID, GRANT_TYPE, TokenAuthority
from simulators.rpc import Reply

LIFETIME_S = 100.0
GRANT = {"grant_type": GRANT_TYPE, "client_id": CLIENT_ID}


class Echo:
    """A backend that takes every call it is handed."""

    def __init__(self) -> None:
        self.handled: list[str] = []

    def handle(self, operation: str, body: dict[str, Any], reply: Reply) -> None:
        self.handled.append(operation)
        reply(200, {"ok": True})


class World:
    def __init__(self) -> None:
        self.env = simpy.Environment()
        self.backend = Echo()
        self.authority = TokenAuthority(self.env, "erp", self.backend, LIFETIME_S)

    def at(self, t: float) -> None:
        self.env.run(until=t)

    def call(self, operation: str, body: dict[str, Any], token: str | None = None) -> Any:
        answers: list[tuple[int, dict[str, Any]]] = []
        self.authority.handle(
            operation,
            body,
            lambda status, answer, delay_s=0.0: answers.append((status, answer)),
            token,
        )
        [answer] = answers
        return answer

    def token(self) -> str:
        status, answer = self.call(AUTH_TOKEN, dict(GRANT))
        assert status == 200 and answer["expires_in"] == LIFETIME_S
        return str(answer["access_token"])


def test_a_call_needs_a_live_token() -> None:
    w = World()
    assert w.call("create_sales_order", {}) == (401, {"error": "invalid_token"})
    token = w.token()
    assert w.call("create_sales_order", {}, token)[0] == 200
    w.at(LIFETIME_S)
    assert w.call("create_sales_order", {}, token)[0] == 401, "expired"
    assert w.backend.handled == ["create_sales_order"], "a refused call does nothing"
    assert (w.authority.issued, w.authority.unauthorised) == (1, 2)


def test_the_token_endpoint_checks_the_grant_and_the_client() -> None:
    w = World()
    assert w.call(AUTH_TOKEN, {"grant_type": "password", "client_id": CLIENT_ID})[0] == 400
    assert w.call(AUTH_TOKEN, {"grant_type": GRANT_TYPE, "client_id": "eve"})[0] == 401
    assert w.authority.issued == 0


def test_a_spell_runs_from_the_first_401_to_a_new_token() -> None:
    w = World()
    token = w.token()
    w.at(10)
    w.authority.revoke_all()
    w.at(20)
    assert w.call("x", {}, token)[0] == 401
    w.at(25)
    assert w.call("x", {}, token)[0] == 401  # still the same spell
    w.at(30)
    fresh = w.token()  # authorised again: the spell ends here
    w.at(32)
    assert w.call("x", {}, fresh)[0] == 200
    spells = w.authority.unauthorised_s(100)
    assert (spells.count, spells.total_s) == (1, 10.0)
    assert w.authority.revoked_tokens == 1


def test_a_refused_renewal_counts_from_the_old_tokens_expiry() -> None:
    w = World()
    w.token()
    w.authority.refusing = True
    w.at(60)
    assert w.call(AUTH_TOKEN, dict(GRANT))[0] == 503
    assert w.authority.unauthorised_s(LIFETIME_S).total_s == 0.0, "still authorised"
    w.at(150)
    w.authority.refusing = False
    w.token()
    spells = w.authority.unauthorised_s(1000)
    assert (spells.count, spells.longest_s) == (1, 50.0)


def test_a_renewal_refused_then_granted_in_time_is_no_spell() -> None:
    w = World()
    w.token()
    w.authority.refusing = True
    w.at(60)
    w.call(AUTH_TOKEN, dict(GRANT))
    w.authority.refusing = False
    w.at(70)
    w.token()
    assert w.authority.unauthorised_s(1000).count == 0


def test_a_spell_still_open_counts_to_the_end() -> None:
    w = World()
    w.at(40)
    w.call("x", {})
    assert w.authority.unauthorised_s(100).total_s == 60.0


def test_a_call_taken_with_a_token_issued_before_a_revocation_race_ends_a_spell() -> None:
    w = World()
    first = w.token()
    w.at(5)
    w.call("x", {}, "forged")  # a 401: the spell starts
    w.at(7)
    assert w.call("x", {}, first)[0] == 200  # the client's live token: authorised again
    assert w.authority.unauthorised_s(100).total_s == 2.0
