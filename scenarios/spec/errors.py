"""The one exception scenario loading raises.

It lives in its own module so `durations`, `shipped` and `loader` can all raise it
without importing one another. It subclasses ValueError because every cause is a bad
value in a file or on the command line, and the CLI prints it without a traceback.
"""

from __future__ import annotations


class ScenarioError(ValueError):
    """A scenario file, name or override is wrong; the message says where and how.

    `field` is the dotted TOML path the message is about (``"world.skus"``,
    ``"demand.peaks[0].start"``), or None when the problem is not about one field
    (an unknown scenario name, a missing file, a TOML syntax error).
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
