"""A hub that takes the start of the day and refuses everything after it with 500: the
run must go on, redeliver, count what was never acknowledged, and fail, not crash.

    python tests/e2e/refusing_hub.py PORT
"""

from __future__ import annotations

import sys

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


async def webhook(request: Request) -> Response:
    if request.path_params["source"] == "twin":
        return JSONResponse({"ok": True})
    return JSONResponse({"error": "down for maintenance"}, 500)


app = Starlette(routes=[Route("/webhooks/{source}", webhook, methods=["POST"])])

if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="warning")
