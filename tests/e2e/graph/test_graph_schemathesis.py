"""schemathesis generates queries and mutations from the served schema (read over
introspection) and sends them to the app: none may end in a server error.

It runs against a finished run (every read path, and every mutation's read-only answer)
with an operator key, so the operator mutations are exercised past their permission
check too. Examples per operation are bounded to keep `make test` quick.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from graph_support import graph_app
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error

schema = schemathesis.graphql.from_asgi(
    "/graphql", graph_app(), headers={"authorization": "Bearer op-key"}
)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_no_generated_operation_causes_a_server_error(case: Any) -> None:
    # Server errors only: a generated `first: 256` is refused with a BAD_USER_INPUT error,
    # which is the API's contract, not a defect (schemathesis's positive_data_acceptance
    # check would count it).
    case.call_and_validate(headers={"authorization": "Bearer op-key"}, checks=[not_a_server_error])
