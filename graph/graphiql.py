"""GraphiQL at /graphql, from the server's own copy of its browser files.

strawberry's GraphiQL page loads React and GraphiQL from a CDN, which leaves the page
blank on a machine that reaches no CDN (a CI runner, a laptop on a train, an estate
behind a proxy). So the project pins GraphiQL's files in web/package-lock.json,
`make setup` installs them (web/install.sh), and this module serves them at
`/graphiql/NAME` and renders a page that points there. Where they were never installed
(a plain `pip install`, no npm) the page falls back to strawberry's CDN page and the
server says once, as a warning, how to install them.

The files are found in `RETAILTWIN_GRAPHIQL_ASSETS` (a node_modules folder) if set,
else in web/node_modules beside the package (a checkout installed with `pip -e`).
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.routing import Route
from strawberry.http.ides import get_graphql_ide_html

log = logging.getLogger("retailtwin.graphiql")

#: where the page finds its files on this server
ASSET_PATH = "/graphiql"
#: file name on this server -> its path in node_modules (versions: web/package-lock.json)
ASSETS = {
    "react.production.min.js": "react/umd/react.production.min.js",
    "react-dom.production.min.js": "react-dom/umd/react-dom.production.min.js",
    "graphiql.min.js": "graphiql/graphiql.min.js",
    "graphiql.min.css": "graphiql/graphiql.min.css",
    "plugin-explorer.umd.js": "@graphiql/plugin-explorer/dist/index.umd.js",
    "plugin-explorer.css": "@graphiql/plugin-explorer/dist/style.css",
}
INSTALL_HINT = "run `make setup` (or `bash web/install.sh`) in the retailtwin checkout"
TEMPLATE = Path(__file__).with_name("graphiql.html")

#: what GraphiQL opens with: the README's first query, and where the key goes
FIRST_QUERY = """\
# retailtwin: orders, stock and returns as the integration hub sees them, and what
# the ERP, WMS, stores, payment gateway and marketplace each record.
#
# Run: Ctrl-Enter (or the play button). Docs and the query explorer: the icons on
# the left. Operator mutations (faultInject, deadLettersReplay) need a key: put
# {"Authorization": "Bearer KEY"} in Headers below.
{
  orders(first: 5) {
    totalCount
    nodes {
      id status channel placedAt totalPrice { amount currencyCode }
      customer { displayName }
      lines { quantity sku { id name } }
      returns { id status }
      crossSystem { inSync records { system status } }
    }
  }
  operations { simTime sla { passed results { name value passed } } }
}
"""


def default_folder() -> Path:
    configured = os.environ.get("RETAILTWIN_GRAPHIQL_ASSETS")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parents[1] / "web" / "node_modules"


@dataclass(frozen=True, slots=True)
class GraphiQLAssets:
    """GraphiQL's files in `folder` (a node_modules folder), if every one is there."""

    folder: Path

    @classmethod
    def find(cls, folder: Path | None = None) -> GraphiQLAssets:
        return cls(folder if folder is not None else default_folder())

    @property
    def missing(self) -> list[str]:
        return [path for path in ASSETS.values() if not (self.folder / path).is_file()]

    @property
    def installed(self) -> bool:
        return not self.missing

    def page(self) -> str:
        """The GraphiQL page: ours over local files, or strawberry's over a CDN (and
        a warning saying how to install the files)."""
        if not self.installed:
            log.warning(
                "GraphiQL's browser files are not installed (no %s); /graphql loads them "
                "from a CDN instead, which shows a blank page without internet access. "
                "To serve them locally, %s.",
                self.folder / self.missing[0],
                INSTALL_HINT,
            )
            return get_graphql_ide_html("graphiql")
        first_query = json.dumps(FIRST_QUERY).replace("</", "<\\/")
        return (
            TEMPLATE.read_text(encoding="utf-8")
            # relative, so the page still finds them behind a proxy's path prefix
            .replace("{{ASSETS}}", "." + ASSET_PATH)
            .replace("{{FIRST_QUERY}}", first_query)
        )

    def routes(self) -> list[Route]:
        """`/graphiql/NAME` for each file, and nothing else under node_modules."""

        async def asset(request: Request) -> Response:
            relative = ASSETS.get(request.path_params["name"])
            path = self.folder / relative if relative is not None else None
            if path is None or not path.is_file():
                return PlainTextResponse(
                    f"no GraphiQL file {request.path_params['name']!r} here; {INSTALL_HINT}",
                    status_code=404,
                )
            # the files change only with web/package-lock.json: a day in the cache is safe
            return FileResponse(path, headers={"cache-control": "public, max-age=86400"})

        return [Route(ASSET_PATH + "/{name}", asset, methods=["GET", "HEAD"])]
