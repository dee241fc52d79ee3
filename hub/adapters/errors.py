"""The one failure an adapter reports: a payload it cannot read."""

from __future__ import annotations


class MalformedPayload(ValueError):
    """A backend sent something that does not match its documented dialect."""
