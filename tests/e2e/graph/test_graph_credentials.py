"""Expiring credentials through the API over a finished run's read model: each backend
the run guards with access tokens, as its token endpoint and its API recorded the hub,
held to those records (credentials-expiry at a twentieth: the ERP's tokens revoked, the
marketplace's token endpoint down for 45 minutes)."""

from __future__ import annotations

from graph_support import gql, graph_app, served_run
from starlette.testclient import TestClient

from graph.types.credentials import credentials

NAME = "credentials-expiry"
OVERRIDES = ("scenario.scale=0.05",)
QUERY = """{ operations { credentials { backend authorized tokenExpiresAt tokensIssued
  unauthorizedResponses tokenRequestsRefused unauthorizedSeconds unauthorizedSince } } }"""


def test_operations_show_each_guarded_backend_as_its_records_say() -> None:
    result, out = served_run(NAME, OVERRIDES)
    with TestClient(graph_app(db=out / "read_model.sqlite")) as client:
        body = gql(client, QUERY)
    assert "errors" not in body, body
    shown = {row["backend"]: row for row in body["data"]["operations"]["credentials"]}
    assert set(shown) == {"ERP", "MARKETPLACE"}
    for system, authority in result.estate.authorities.items():
        row = shown[system.upper()]
        assert row["tokensIssued"] == authority.issued
        assert row["unauthorizedResponses"] == authority.unauthorised
        assert row["tokenRequestsRefused"] == authority.refused_token_requests
        assert row["authorized"] is authority.authorised()
        assert (row["tokenExpiresAt"] is None) is (not authority.authorised())
    assert shown["ERP"]["unauthorizedResponses"] > 0, "the revocation was refused"
    assert shown["MARKETPLACE"]["tokenRequestsRefused"] > 0
    assert shown["MARKETPLACE"]["unauthorizedSeconds"] > 60
    assert shown["MARKETPLACE"]["unauthorizedSince"] is None, "authorized again by the end"


def test_a_snapshot_from_before_credentials_shows_none() -> None:
    assert credentials({}) == []
    assert credentials({"credentials": None}) == []
