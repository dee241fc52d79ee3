"""Type aliases the simulators share, in one place (as `starlette/types.py` does).

A backend or channel sends the hub a message by calling an `Emit` with the message's
kind and its payload; the runtime wires each one to the system's network link to the
hub, so no simulator knows where its messages go.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["Emit"]

#: send a message to the hub: (kind, payload)
Emit = Callable[[str, dict[str, Any]], None]
