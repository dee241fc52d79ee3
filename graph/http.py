"""The GraphQL endpoint: strawberry's ASGI view, wired to our context and made to follow
the GraphQL-over-HTTP specification.

- Responses are `application/graphql-response+json` when the client accepts it, else
  `application/json`.
- A request that fails to parse or validate is a request error: 400, and no `data` key
  (the spec's distinction between "never executed" and "executed with errors").
- A request refused before GraphQL runs (no query, a body that is not JSON, an unknown
  API key, a mutation over GET) is answered in GraphQL's shape too, `{"errors": [...]}`
  with a `code` extension, never as plain text a client's JSON parser chokes on; a
  mutation over GET is 405 with `Allow: POST`, as the specification says.
- A body must be a UTF-8 JSON object (400 otherwise) of at most `MAX_REQUEST_BYTES`
  (413 otherwise, from `Content-Length` before any of it is read, or as it streams in).
- The API key (`Authorization: Bearer KEY` or `X-API-Key`) decides the role; an unknown
  key, or no key when anonymous access is off, gets 401 before GraphQL runs. Websockets
  (graphql-transport-ws) authenticate in `connection_init` the same way.
- A request over HTTP executes on a worker thread with an event loop of its own
  (graph/query_threads.py), the server's loop only reading it and writing the answer;
  a mutation is handed back to the server's loop, where the twin acts. Subscriptions
  (websockets) stay on the server's loop.
"""

from __future__ import annotations

import json
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.types import Receive, Scope, Send
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema import BaseSchema
from strawberry.schema.exceptions import InvalidOperationTypeError
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult

from graph.context import Context, Services, api_key_of
from graph.cors import origin_allowed
from graph.operation_kind import executes_off_loop
from graph.query_threads import QueryThreads, worker_read_model

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


def negotiate(accept: str) -> str:
    """The response media type: graphql-response+json if the client lists it."""
    return GRAPHQL_RESPONSE if GRAPHQL_RESPONSE in accept else JSON


#: status of a request refused before GraphQL ran -> the error's `code` extension
REQUEST_ERROR_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
}

#: the largest request body /graphql reads (docs/api.md "Limits"): a query within the
#: token limit and its variables take a few kilobytes
MAX_REQUEST_BYTES = 1_048_576


_JSON_KINDS = {
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    list: "an array",
    type(None): "null",
}


def _too_large() -> HTTPException:
    return HTTPException(
        413, f"the request body is larger than {MAX_REQUEST_BYTES} bytes, the API's limit"
    )


async def read_body(request: Request) -> bytes:
    """The request's body, refused (413) past `MAX_REQUEST_BYTES` without reading the rest.

    The body is kept on the request, where strawberry's own reading finds it."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_REQUEST_BYTES:
        raise _too_large()
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_REQUEST_BYTES:
            raise _too_large()
        chunks.append(chunk)
    body = b"".join(chunks)
    request._body = body  # Request.body() returns this from now on
    return body


def request_error(request: Request, error: HTTPException, body: bytes) -> Response:
    """A request refused before GraphQL ran, as a GraphQL error response."""
    status, reason = error.status_code, error.reason
    code = REQUEST_ERROR_CODES.get(status, "BAD_REQUEST")
    headers: dict[str, str] = {}
    missing_query = reason == "No GraphQL query found in the request"
    if missing_query and b"persistedQuery" in body + request.url.query.encode():
        # automatic persisted queries (Apollo Client's persisted-query link) send a hash
        # without the query first; this answer tells the link to send queries in full
        reason, code = "PersistedQueryNotSupported", "PERSISTED_QUERY_NOT_SUPPORTED"
    elif isinstance(error.__cause__, InvalidOperationTypeError):
        status, reason = 405, "a mutation needs POST; GET may only carry queries"
        headers["allow"] = "POST"
    elif status == 405:
        headers["allow"] = "GET, POST"
    elif status == 401:
        headers["www-authenticate"] = 'Bearer realm="retailtwin"'
    elif reason == "Unsupported content type":
        content_type = request.headers.get("content-type", "none")
        status = 415
        reason = (
            f"unsupported content type {content_type!r}: POST a JSON body "
            '({"query": ..., "variables": ...}) as application/json, or GET with ?query='
        )
    if status != error.status_code:
        code = REQUEST_ERROR_CODES.get(status, "BAD_REQUEST")
    answer = {"errors": [{"message": reason, "extensions": {"code": code}}]}
    return Response(
        json.dumps(answer, separators=(",", ":")),
        status_code=status,
        headers=headers,
        media_type=negotiate(request.headers.get("accept", "")),
    )


def _address(request: Request) -> str:
    return request.client.host if request.client is not None else "unknown"


class GraphQLView(GraphQL[Context, None]):
    def __init__(
        self,
        schema: BaseSchema,
        services: Services,
        ide_html: str | None,
        threads: QueryThreads | None = None,
    ) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if ide_html is not None else None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        )
        self.services = services
        self.ide_html = ide_html or ""
        self.threads = threads or QueryThreads(services.read_model, count=0)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        request = Request(scope=scope, receive=receive)
        # the page itself is static: it loads without a key, which its requests then
        # carry (GraphiQL's Headers tab), even where anonymous access is off
        if self.graphql_ide and self.should_render_graphql_ide(self.request_adapter_class(request)):
            await (await self.render_graphql_ide(request))(scope, receive, send)
            return
        try:
            body = await read_body(request)
        except HTTPException as error:
            # the rest of an oversized body is never read: the connection is not reused
            response = request_error(request, error, b"")
            response.headers["connection"] = "close"
            await response(scope, receive, send)
            return
        try:
            response = await self.threads.run(lambda: self.run(request))
        except HTTPException as error:
            response = request_error(request, error, body)
        await response(scope, receive, send)

    def parse_json(self, data: str | bytes) -> Any:
        """A request body (or a `variables` or `extensions` parameter of a GET): JSON
        in UTF-8, and an object, as GraphQL over HTTP requires; anything else is the
        client's error (400), not a crash further in."""
        if isinstance(data, bytes):
            try:
                data = data.decode("utf-8")
            except UnicodeDecodeError as error:
                raise HTTPException(400, "the request body is not UTF-8 text") from error
        parsed = super().parse_json(data)
        if not isinstance(parsed, dict):
            raise HTTPException(
                400,
                'expected a JSON object ({"query": ..., "variables": ...}), got '
                + _JSON_KINDS.get(type(parsed), "another value"),
            )
        return parsed

    async def render_graphql_ide(self, request: Request) -> Response:
        """GraphiQL over this server's own copy of its files (graph/graphiql.py)."""
        return HTMLResponse(self.ide_html)

    def is_websocket_origin_allowed(self, request: WebSocket, origin: str) -> bool:
        """The same origins as CORS allows for HTTP (graph/cors.py)."""
        return origin_allowed(origin, self.services.settings.cors_origins)

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        settings = self.services.settings
        key = api_key_of(request.headers)
        role = settings.role_for(key)
        context = Context.for_role(self.services, role, worker_read_model())
        if isinstance(request, WebSocket):
            return context  # authenticated in connection_init (on_ws_connect)
        if role is None:
            reason = (
                "unknown API key"
                if key is not None
                else "an API key is required: send `Authorization: Bearer KEY`"
            )
            raise HTTPException(401, reason)
        context.client = f"key:{key}" if key is not None else f"address:{_address(request)}"
        context.one_request = True
        request.state.graphql_context = context
        request.state.sub_response = response
        if isinstance(response, Response):
            response.headers["content-type"] = negotiate(request.headers.get("accept", ""))
        return context

    async def on_ws_connect(self, context: Context) -> Any:
        params = context.connection_params or {}
        key = api_key_of(params) if isinstance(params, dict) else None
        role = self.services.settings.role_for(key) if key is not None else context.role
        if role is None:
            raise ConnectionRejectionError({"reason": "unknown or missing API key"})
        context.role = role
        return await super().on_ws_connect(context)

    async def execute_single(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        """A query executes where it is (a worker's loop); anything else on the
        server's loop, reading through the server's read model."""
        execute = super().execute_single
        arguments = (request, request_adapter, sub_response, context, root_value, request_data)
        if worker_read_model() is None or executes_off_loop(
            request_data.query, request_data.operation_name, self.services.settings.max_tokens
        ):
            return await execute(*arguments)
        context.read_from(self.services.read_model)
        return await self.threads.on_server_loop(lambda: execute(*arguments))

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        data = await super().process_result(request, result)
        context: Context | None = getattr(request.state, "graphql_context", None)
        if context is not None and not context.executed:
            data.pop("data", None)
            sub_response = request.state.sub_response
            sub_response.status_code = 400
            if context.retry_after_s is not None:  # throttled: too many points too fast
                sub_response.status_code = 429
                sub_response.headers["retry-after"] = str(context.retry_after_s)
        return data

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        media_type = sub_response.headers.get("content-type", JSON)
        del sub_response.headers["content-type"]
        response = Response(
            self.encode_json(response_data),
            status_code=sub_response.status_code or 200,
            media_type=media_type,
        )
        response.headers.raw.extend(sub_response.headers.raw)
        if sub_response.background:
            response.background = sub_response.background
        return response
