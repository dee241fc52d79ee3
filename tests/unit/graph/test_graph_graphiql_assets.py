"""GraphiQL's page and files: served by the app itself when installed, strawberry's CDN
page and one warning saying how to install them when not."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from graph_support import finished_db
from starlette.testclient import TestClient

from graph.app import create_app
from graph.graphiql import ASSETS, GraphiQLAssets
from graph.schema import composed_schema
from graph.settings import ApiSettings
from hub.adapters.read_model import sqlite_url

HTML = {"accept": "text/html"}


@pytest.fixture
def node_modules(tmp_path: Path) -> Path:
    """A node_modules folder with a stand-in for each of GraphiQL's files."""
    for name, relative in ASSETS.items():
        path = tmp_path / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"/* {name} */")
    (tmp_path / "graphiql" / "package.json").write_text("{}")
    return tmp_path


def _app(folder: Path, graphiql: bool = True) -> TestClient:
    """The app `retailtwin serve --db` builds, with GraphiQL's files looked for in `folder`."""
    settings = ApiSettings(graphiql=graphiql)
    app = create_app(
        composed_schema(settings),
        sqlite_url(finished_db()),
        settings,
        graphiql=GraphiQLAssets(folder),
    )
    return TestClient(app)


def test_the_page_loads_every_file_from_this_server(node_modules: Path) -> None:
    with _app(node_modules) as client:
        page = client.get("/graphql", headers=HTML)
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        assert "unpkg" not in page.text and "https://" not in page.text.split("<script>")[0]
        assert "orders(first: 5)" in page.text  # opens with the README's first query
        for name in ASSETS:
            assert f'"./graphiql/{name}"' in page.text, name
            asset = client.get(f"/graphiql/{name}")
            assert asset.status_code == 200 and asset.text == f"/* {name} */"
            kind = "text/css" if name.endswith(".css") else "text/javascript"
            assert asset.headers["content-type"].startswith(kind)
        # only the files GraphiQL needs, nothing else from node_modules
        assert client.get("/graphiql/package.json").status_code == 404
        assert client.get("/graphiql/..%2Fgraphiql%2Fpackage.json").status_code == 404


def test_without_the_files_the_page_uses_a_cdn_and_says_how_to_install_them(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="retailtwin.graphiql"), _app(tmp_path) as client:
        page = client.get("/graphql", headers=HTML)
        assert page.status_code == 200 and "unpkg.com/graphiql" in page.text
        assert client.get("/graphiql/graphiql.min.js").status_code == 404
    warnings = [r.getMessage() for r in caplog.records if r.name == "retailtwin.graphiql"]
    assert len(warnings) == 1 and "make setup" in warnings[0] and "web/install.sh" in warnings[0]


def test_graphiql_can_be_switched_off(node_modules: Path) -> None:
    with _app(node_modules, graphiql=False) as client:
        assert client.get("/graphql", headers=HTML).status_code == 404
        assert client.get("/graphiql/graphiql.min.js").status_code == 404


def test_the_checkout_has_the_files_make_setup_installed() -> None:
    """`make setup` (which `make test` runs first) installs them: the default server
    finds them in web/node_modules."""
    missing = GraphiQLAssets.find().missing
    assert missing == [], f"run `make setup` (or `bash web/install.sh`): missing {missing}"
