"""The Starlette application: GraphQL (GraphiQL in a browser) at /graphql, /healthz and
Prometheus /metrics, over one read model; GraphiQL's own files at /graphiql/.

Declared in one place (`create_app`), served by uvicorn. What it serves is decided by
the caller: a schema (the composed one, or one subgraph), a read model URL, and for a
live twin a `Twin` that keeps the read model moving while the app runs.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Protocol

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route, WebSocketRoute
from strawberry.schema import BaseSchema

from graph.context import Services
from graph.control import ReadOnlyControl, TwinControl
from graph.cors import cors_middleware
from graph.errors import quiet_client_errors
from graph.events import EventHub
from graph.graphiql import GraphiQLAssets
from graph.http import GraphQLView
from graph.metrics import CONTENT_TYPE, METRICS_DOCUMENT, ApiMetrics
from graph.query_threads import QueryThreads
from graph.settings import ApiSettings
from hub.adapters.read_model import ReadModel


class Twin(Protocol):
    """A live twin the app runs for as long as it serves (scenarios/live/twin.py)."""

    @property
    def control(self) -> TwinControl: ...

    async def start(self, read_model: ReadModel, events: EventHub) -> None: ...

    async def stop(self) -> None: ...

    def health(self) -> dict[str, Any]: ...


def _freeze_startup_heap(twin: Twin | None) -> None:
    """What startup built (schema, modules, engines) lives as long as the server: out of
    the collector's sight, a full collection (which stops every thread, /healthz's too)
    walks only what requests leave behind. A live twin tunes its collector itself."""
    if twin is None:
        gc.freeze()


def create_app(
    schema: BaseSchema,
    read_model_url: str,
    settings: ApiSettings | None = None,
    twin: Twin | None = None,
    name: str = "composed",
    graphiql: GraphiQLAssets | None = None,
) -> Starlette:
    settings = settings or ApiSettings()
    quiet_client_errors()
    read_model = ReadModel.open(read_model_url)
    control: TwinControl = twin.control if twin is not None else ReadOnlyControl()
    services = Services(read_model, control, EventHub(), settings, ApiMetrics())
    ide_routes: list[Route] = []
    ide_html: str | None = None
    if settings.graphiql:
        graphiql = graphiql or GraphiQLAssets.find()
        ide_html = graphiql.page()
        ide_routes = graphiql.routes() if graphiql.installed else []
    # queries execute off the server's loop, kept free for /healthz (query_threads.py)
    threads = QueryThreads(read_model, settings.query_threads)
    view = GraphQLView(schema, services, ide_html, threads)

    @asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        try:
            if twin is not None:
                await twin.start(read_model, services.events)
            # a finished run written by an earlier version is read around what it lacks,
            # by the query threads too (each takes the gaps found here when it starts)
            await read_model.probe_schema()
            threads.start()
            _freeze_startup_heap(twin)
            yield
        finally:
            if twin is not None:
                await twin.stop()
            await threads.stop()
            await read_model.dispose()

    async def healthz(_: Request) -> Response:
        run = await read_model.document("run")
        body: dict[str, Any] = {"status": "ok" if run is not None else "starting", "schema": name}
        if run is not None:
            body.update(
                mode=run["mode"],
                scenario=run["scenario"],
                simTimeSeconds=run["sim_time_s"],
                finished=run["finished"],
            )
        if twin is not None:
            body.update(twin.health())
        return JSONResponse(body, status_code=200 if run is not None else 503)

    async def metrics(request: Request) -> Response:
        if services.metrics is None:
            return Response(b"", media_type=CONTENT_TYPE)
        body, content_type = services.metrics.render(
            await read_model.document("operations"),
            await read_model.document("run"),
            services.events.subscriber_count,
            await read_model.document(METRICS_DOCUMENT),
            request.headers.get("accept"),
        )
        return Response(body, media_type=content_type)

    app = Starlette(
        middleware=[cors_middleware(settings.cors_origins)],
        routes=[
            Route("/graphql", view),
            WebSocketRoute("/graphql", view),
            Route("/healthz", healthz),
            Route("/metrics", metrics),
            *ide_routes,
        ],
        lifespan=lifespan,
    )
    app.state.services = services
    app.state.query_threads = threads
    return app
