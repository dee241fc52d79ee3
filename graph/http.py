"""The GraphQL endpoint: strawberry's ASGI view, wired to our context and made to follow
the GraphQL-over-HTTP specification.

- Responses are `application/graphql-response+json` when the client accepts it, else
  `application/json`.
- A request that fails to parse or validate is a request error: 400, and no `data` key
  (the spec's distinction between "never executed" and "executed with errors").
- The API key (`Authorization: Bearer KEY` or `X-API-Key`) decides the role; an unknown
  key, or no key when anonymous access is off, gets 401 before GraphQL runs. Websockets
  (graphql-transport-ws) authenticate in `connection_init` the same way.
"""

from __future__ import annotations

from typing import Any

from cross_web import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http import GraphQLHTTPResponse
from strawberry.schema import BaseSchema
from strawberry.subscriptions import GRAPHQL_TRANSPORT_WS_PROTOCOL
from strawberry.types import ExecutionResult

from graph.context import Context, Services, api_key_of

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


def negotiate(accept: str) -> str:
    """The response media type: graphql-response+json if the client lists it."""
    return GRAPHQL_RESPONSE if GRAPHQL_RESPONSE in accept else JSON


class GraphQLView(GraphQL[Context, None]):
    def __init__(self, schema: BaseSchema, services: Services) -> None:
        super().__init__(
            schema,
            graphql_ide="graphiql" if services.settings.graphiql else None,
            subscription_protocols=(GRAPHQL_TRANSPORT_WS_PROTOCOL,),
        )
        self.services = services

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        settings = self.services.settings
        key = api_key_of(request.headers)
        role = settings.role_for(key)
        context = Context.for_role(self.services, role)
        if isinstance(request, WebSocket):
            return context  # authenticated in connection_init (on_ws_connect)
        if role is None:
            reason = (
                "unknown API key"
                if key is not None
                else "an API key is required: send `Authorization: Bearer KEY`"
            )
            raise HTTPException(401, reason)
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

    async def process_result(
        self, request: Request, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        data = await super().process_result(request, result)
        context: Context | None = getattr(request.state, "graphql_context", None)
        if context is not None and not context.executed:
            data.pop("data", None)
            request.state.sub_response.status_code = 400
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
