"""Type aliases every room of scenarios/ shares, in one place (as `starlette/types.py`
does), so a signature means the same thing wherever it appears."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["Progress"]

#: told how far a run has got: (simulated seconds so far, simulated seconds in all)
Progress = Callable[[float, float], None]
