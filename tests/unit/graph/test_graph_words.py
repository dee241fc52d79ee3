"""The API's words: the states and kinds it shows are enums that cover every word the
read model can hold, a British spelling it once used is still accepted and never
returned, and each enum field says the same as the deprecated string field beside it.

The schema-wide conventions are tests/unit/graph/test_graph_conventions.py; this file
holds the operations, status-history, timeline and mutation types to them on their own,
so they stay described whatever the rest of the schema is doing."""

from __future__ import annotations

from collections.abc import Iterator
from enum import Enum
from typing import Any

import pytest
import strawberry
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLObjectType,
    GraphQLSchema,
    graphql_sync,
)

from graph.schema import composed_schema
from graph.types.common import PaymentState, ReturnStatus, StatusChange, TimelineEvent
from graph.types.messages import MessageType
from graph.types.operations import Operations
from graph.types.sla import SlaBreach
from graph.types.systems import IntegrationSystem, StatusChangeSource
from hub.adapters.read_model.records import StatusChangeRecord, TimelineRecord
from hub.bootstrap import lane_configs
from hub.context import Topology
from hub.policy import HubPolicy
from simulators.contract.registry import CHANNELS, SOURCES, SYSTEMS
from simulators.faults import LINK_SYSTEMS

#: the types of the operations view, the status history, the timeline, the
#: cross-system view (but `SystemRecord`), the shared enums and the mutations' inputs
#: and payloads
CHECKED_TYPES = [
    "BreakerState",
    "CrossSystemView",
    "DeadLetter",
    "DeadLetterCategory",
    "DeadLetters",
    "DeadLettersReplayInput",
    "DeadLettersReplayPayload",
    "Disagreement",
    "Fault",
    "FaultAction",
    "FaultInjectInput",
    "FaultInjectPayload",
    "FaultKind",
    "FaultOrigin",
    "IntegrationSystem",
    "InvariantResult",
    "Lane",
    "LocationKind",
    "MessageType",
    "Operations",
    "OrderCancelInput",
    "OrderCancelPayload",
    "OrderChannel",
    "OrderCreateInput",
    "OrderCreatePayload",
    "OrderLineInput",
    "OrderStatus",
    "PaymentState",
    "Reconciliation",
    "RecordField",
    "ReturnLineInput",
    "ReturnRequestInput",
    "ReturnRequestPayload",
    "ReturnStatus",
    "RunInfo",
    "RunMode",
    "SalesChannel",
    "SlaBreach",
    "SlaReport",
    "SlaResult",
    "SlaThresholdType",
    "StatusChange",
    "StatusChangeSource",
    "SyncLag",
    "SyncLagScope",
    "TimelineEvent",
    "UserError",
    "UserErrorCode",
    "Counter",
]


def _schema() -> GraphQLSchema:
    return composed_schema()._schema


def _elements(schema: GraphQLSchema) -> Iterator[tuple[str, str | None, str | None]]:
    """(path, description, deprecation) of each checked type, its fields, arguments,
    input fields and values, and of each mutation with its arguments."""
    for name in CHECKED_TYPES:
        named = schema.type_map[name]
        yield name, named.description, None
        if isinstance(named, GraphQLObjectType | GraphQLInputObjectType):
            for field_name, field in named.fields.items():
                yield f"{name}.{field_name}", field.description, field.deprecation_reason
        elif isinstance(named, GraphQLEnumType):
            for value_name, value in named.values.items():
                yield f"{name}.{value_name}", value.description, value.deprecation_reason
    assert schema.mutation_type is not None
    for field_name, field in schema.mutation_type.fields.items():
        yield f"Mutation.{field_name}", field.description, field.deprecation_reason
        for arg_name, arg in field.args.items():
            yield f"Mutation.{field_name}({arg_name})", arg.description, arg.deprecation_reason


def test_every_checked_element_is_described() -> None:
    elements = list(_elements(_schema()))
    assert len(elements) > 300, "the walk reached the fields and values, not only the types"
    assert [path for path, description, _ in elements if not description] == []


def test_every_deprecation_here_names_its_replacement() -> None:
    reasons = {path: reason for path, _, reason in _elements(_schema()) if reason}
    assert "TimelineEvent.kind" in reasons and "ReturnStatus.AUTHORISED" in reasons
    assert {path: r for path, r in reasons.items() if not r.startswith("Use `")} == {}


# -- the enums cover what the read model holds ----------------------------------------


def _contract_words() -> set[str]:
    return (
        {op for system in SYSTEMS.values() for op in system.operations}
        | {message for source in SOURCES.values() for message in source.messages}
        | {topic for channel in CHANNELS.values() for topic in channel.topics}
    )


def test_every_message_of_the_contract_has_its_message_type_and_no_type_is_idle() -> None:
    words = _contract_words()
    named = {word: MessageType.from_domain(word) for word in words}
    assert [word for word, member in named.items() if member is MessageType.OTHER] == []
    assert set(named.values()) == set(MessageType) - {MessageType.OTHER}


@pytest.mark.parametrize(
    ("word", "member"),
    [
        ("order.created", MessageType.ORDER_CREATED),
        ("ORDER_PLACED", MessageType.ORDER_PLACED),
        ("acknowledge", MessageType.ACKNOWLEDGE),
        ("RECEIPT", MessageType.RECEIPT),
        ("receipt", MessageType.RECEIPT),
        ("telepathy", MessageType.OTHER),
    ],
)
def test_a_wire_word_becomes_its_message_type_whatever_its_dialect(
    word: str, member: MessageType
) -> None:
    assert MessageType.from_domain(word) is member


#: a topology with every optional backend: a tax engine, a fraud screen, a drop-ship
#: partner (its API, `partner:NAME`, is the DROPSHIP system)
ESTATE_WITH_EVERYTHING = Topology(
    (), (), tax_engine=True, fraud_screen=True, partners={"DS-ACME": "partner:acme"}
)


def test_every_system_of_the_estate_is_an_integration_system() -> None:
    systems = (
        set(SYSTEMS)
        | set(SOURCES)
        | set(CHANNELS)
        | set(LINK_SYSTEMS)
        | set(lane_configs(HubPolicy(), ESTATE_WITH_EVERYTHING))
    )
    assert {IntegrationSystem.from_domain(s) for s in systems} == set(IntegrationSystem) - {
        IntegrationSystem.OTHER
    }
    assert IntegrationSystem.from_domain("mainframe") is IntegrationSystem.OTHER


def test_a_status_change_source_is_a_system_or_a_sales_channel() -> None:
    words = {"hub", "erp", "wms", "pos", "payment", "web", "marketplace", "click_collect"}
    assert StatusChangeSource.OTHER not in {StatusChangeSource.from_domain(w) for w in words}
    assert StatusChangeSource.from_domain("store") is StatusChangeSource.STORE
    assert StatusChangeSource.from_domain("fax") is StatusChangeSource.OTHER


# -- each enum field says what its deprecated string field says ------------------------


def test_received_is_an_order_status_in_an_order_history_and_a_return_status_in_a_returns() -> None:
    record = StatusChangeRecord("W-1", 0, "received", 10.0, "web")
    of_order, of_return = StatusChange.of_order(record), StatusChange.of_return(record)

    assert of_order.order_status is not None and of_order.order_status.name == "RECEIVED"
    assert of_order.return_status is None
    assert of_return.return_status is ReturnStatus.RECEIVED and of_return.order_status is None
    assert of_order.changed_by is StatusChangeSource.WEB and of_order.source == "web"


def test_a_timeline_event_names_its_systems_and_message_type() -> None:
    record = TimelineRecord(7, "W-1", "", 12.0, 10.5, "web", "hub", "order.created", 3, False, "")
    event = TimelineEvent.from_domain(record)

    assert (event.sender, event.recipient) == (IntegrationSystem.WEB, IntegrationSystem.HUB)
    assert event.message_type is MessageType.ORDER_CREATED
    assert (event.source, event.target, event.kind) == ("web", "hub", "order.created")


def _operations_document() -> tuple[dict[str, Any], dict[str, Any]]:
    sla_row = {"name": "sync_lag_p95_s", "value": 3.0, "threshold": 60.0, "bound": "max"}
    ops: dict[str, Any] = {
        "sim_time_s": 60.0,
        "lanes": [{"system": "erp", "queue_depth": 2, "breaker": "open", "breaker_opens": 1}],
        "dead_letters": {
            "depth": 1,
            "total": 1,
            "replayed": 0,
            "items": [{"kind": "inbound", "key": "wms:9", "reason": "unparsable", "at": 5.0}],
        },
        "parked_events": 0,
        "feed_pending_changes": 0,
        "erp_backlog": 0,
        "sync_lag": [
            {"scope": "channel", "name": "web", "count": 0}
            | dict.fromkeys(("p50", "p95", "p99", "max"))
        ],
        "reconciliation": {"runs": 0, "drift_corrected": 0, "last_drift": 0},
        "duplicates_absorbed": 0,
        "counters": {},
        "faults": [
            {
                "id": "api-1",
                "target": "erp",
                "kind": "outage",
                "rate": 0.0,
                "active": True,
                "started_at": 1.0,
                "ended_at": -1.0,
                "origin": "api",
            }
        ],
        "sla": {
            "final": False,
            "passed": None,
            "results": [sla_row | {"passed": True}, sla_row | {"bound": "min", "passed": False}],
            "invariants": [],
        },
    }
    run = {
        "scenario": "steady-day",
        "seed": 1,
        "mode": "live",
        "speed": 60.0,
        "sim_time_s": 60.0,
        "duration_s": 86400.0,
        "finished": False,
    }
    return ops, run


def test_each_operations_enum_says_what_its_string_said() -> None:
    ops = Operations.from_domain(*_operations_document())

    assert (ops.run.mode, ops.run.run_mode.name) == ("live", "LIVE")
    assert [(lane.system, lane.backend) for lane in ops.lanes] == [("erp", IntegrationSystem.ERP)]
    letter = ops.dead_letters.items[0]
    assert (letter.kind, letter.category.name) == ("inbound", "INBOUND")
    assert [(lag.scope, lag.lag_scope.name) for lag in ops.sync_lag] == [("channel", "CHANNEL")]
    assert [(lag.name, lag.system) for lag in ops.sync_lag] == [("web", IntegrationSystem.WEB)]
    assert [(r.bound, r.threshold_type.name) for r in ops.sla.results] == [
        ("max", "MAXIMUM"),
        ("min", "MINIMUM"),
    ]
    assert [(f.origin, f.started_by.name) for f in ops.faults] == [("api", "API")]


def test_a_breach_says_which_side_of_its_threshold_it_left() -> None:
    breach = SlaBreach.from_domain(
        {"name": "fill_rate", "value": 0.9, "threshold": 0.95, "bound": "min", "at": 3600.0}
    )
    assert (breach.bound, breach.threshold_type.name) == ("min", "MINIMUM")


# -- a British spelling: accepted, never returned ---------------------------------------


@strawberry.type
class _Query:
    @strawberry.field
    def return_status(self) -> ReturnStatus:
        return ReturnStatus("authorised")  # as graph/types/returns.py converts a record

    @strawberry.field
    def payment_state(self) -> PaymentState:
        return PaymentState.from_domain("authorised")

    @strawberry.field
    def echo(self, status: ReturnStatus) -> str:
        return status.value  # what a filter would send the read model


_SPELLING = strawberry.Schema(query=_Query)


def test_an_authorized_state_is_read_back_in_us_english() -> None:
    result = _SPELLING.execute_sync("{ returnStatus paymentState }")
    assert result.errors is None
    assert result.data == {"returnStatus": "AUTHORIZED", "paymentState": "AUTHORIZED"}
    assert ReturnStatus("authorised") is ReturnStatus.AUTHORIZED


@pytest.mark.parametrize("spelling", ["AUTHORIZED", "AUTHORISED"])
def test_either_spelling_is_accepted_in_an_argument_and_means_the_same_state(
    spelling: str,
) -> None:
    result = _SPELLING.execute_sync(f"{{ echo(status: {spelling}) }}")
    assert result.errors is None
    assert result.data == {"echo": "authorised"}


@pytest.mark.parametrize("enum", [ReturnStatus, PaymentState])
def test_the_british_spelling_is_deprecated_and_hidden_unless_asked(enum: type[Enum]) -> None:
    query = """query($name: String!) { __type(name: $name) {
        shown: enumValues { name }
        all: enumValues(includeDeprecated: true) { name isDeprecated deprecationReason } } }"""
    result = graphql_sync(_schema(), query, variable_values={"name": enum.__name__})
    assert result.errors is None and result.data is not None
    shown = [value["name"] for value in result.data["__type"]["shown"]]
    deprecated = {v["name"]: v["deprecationReason"] for v in result.data["__type"]["all"]}
    assert "AUTHORIZED" in shown and "AUTHORISED" not in shown
    assert deprecated["AUTHORISED"].startswith("Use `AUTHORIZED`")
