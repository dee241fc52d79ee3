"""What `run --hub` and `serve --hub` share on the command line: the hub's URL as an
argument type and the wall-clock speed a run against it takes by default.

Why a module of its own: the parsers of every command are built for any command, so
what they name must import nothing heavy; the code that runs against an external hub
(`run_external.py`) brings the HTTP server and the read model with it.
"""

from __future__ import annotations

import argparse
from urllib.parse import urlsplit

#: simulated seconds per wall second unless --speed says otherwise: steady-day's 30
#: simulated hours in about three minutes
DEFAULT_SPEED = 600.0


def hub_url(text: str) -> str:
    """An argument type for `--hub`: an http(s) URL with a host."""
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise argparse.ArgumentTypeError(
            f"expected the hub's base URL, as http://HOST:PORT, got {text!r}"
        )
    try:
        parts.port  # noqa: B018 - urlsplit checks the port only when it is read
    except ValueError:
        raise argparse.ArgumentTypeError(f"the port in {text!r} is not a port number") from None
    return text.rstrip("/")
