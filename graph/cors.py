"""Which web pages may call the API from a browser: CORS for HTTP, the Origin check for
websockets, one policy for both.

A frontend developer's app runs on its own dev server (Vite on localhost:5173, Next on
localhost:3000), so its requests to the twin on localhost:8000 are cross-origin: without
CORS headers the browser hides every answer, and strawberry refuses cross-origin
websockets. Pages served from loopback are allowed by default, since that is where
development happens and the twin holds nothing but simulated data; any other origin is
allowed only when configured (`--cors-origin`, RETAILTWIN_CORS_ORIGINS, `*` for any).
Keys travel in headers, never cookies, so no credentials mode is needed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware

#: http(s) pages served from this machine, on any port
LOOPBACK_ORIGIN = r"https?://(localhost|127(\.\d{1,3}){3}|\[::1\])(:\d{1,5})?"
#: what `--cors-origin` accepts besides `*`
ORIGIN = re.compile(r"https?://[^/\s:]+(:\d{1,5})?")
#: the headers a client sends: its key, and GraphQL's content negotiation
ALLOWED_HEADERS = ("authorization", "x-api-key", "content-type", "accept")


def invalid_origins(origins: Sequence[str]) -> list[str]:
    """The entries that are neither `*` nor `scheme://host[:port]`."""
    return [o for o in origins if o != "*" and not ORIGIN.fullmatch(o)]


def origin_allowed(origin: str, extra: Sequence[str]) -> bool:
    return "*" in extra or origin in extra or re.fullmatch(LOOPBACK_ORIGIN, origin) is not None


def cors_middleware(extra: Sequence[str]) -> Middleware:
    return Middleware(
        CORSMiddleware,
        allow_origins=list(extra),
        allow_origin_regex=LOOPBACK_ORIGIN,
        allow_methods=["GET", "POST"],
        allow_headers=list(ALLOWED_HEADERS),
        max_age=600,
    )
