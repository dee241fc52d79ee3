"""Authorisation: which role may use which field.

Reads and the shopper's mutations need any accepted caller (a viewer key, or anonymous
when the settings allow it; the HTTP view turns away everyone else before GraphQL runs).
Operator mutations change the estate itself and need an operator key; without one the
field answers with a FORBIDDEN error and does nothing.
"""

from __future__ import annotations

from typing import Any

from strawberry.permission import BasePermission

from graph.context import GraphInfo
from graph.settings import Role


class OperatorOnly(BasePermission):
    message = (
        "forbidden: this mutation needs the operator role; send an operator API key "
        "as `Authorization: Bearer KEY`"
    )
    error_extensions = {"code": "FORBIDDEN"}  # noqa: RUF012 - strawberry reads it per class

    def has_permission(self, source: Any, info: GraphInfo, **kwargs: Any) -> bool:
        return info.context.role is Role.OPERATOR
