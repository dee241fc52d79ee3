"""The twin's own messages to a hub: the day starts, the day closes.

An external hub knows nothing of the run until it is told: which locations exist, what
stock each holds at the opening, how fast simulated time runs. `day.started` tells it,
before any other message; `day.closing` asks it to close the trading day half an hour
before the end, as the built-in hub does (last store summaries, a full feed push), so
the end-of-day checks see a settled estate.
"""

from __future__ import annotations

from simulators.contract.common import sim_time
from simulators.contract.schema import array, const, integer, number, obj, string
from simulators.contract.tables import Message, Source

__all__ = ["SOURCE"]

_STRINGS = {"type": "array", "items": {"type": "string"}}

SOURCE = Source(
    "twin",
    "The twin",
    "The run's lifecycle: `day.started` first, `day.closing` near the end.",
    "type",
    {
        "day.started": Message(
            "A run started",
            obj(
                "The run and its world: everything a hub needs before the first order.",
                {
                    "type": const("day.started"),
                    "scenario": string("The scenario's name."),
                    "seed": integer("The scenario's seed.", minimum=0),
                    "speed": number("Simulated seconds per wall second.", minimum=0),
                    "duration_s": number("Simulated seconds of demand.", minimum=0),
                    "end_s": sim_time("When the run ends (demand, then the drain)."),
                    "backends_url": string(
                        "Where the backends and channels of this run answer: "
                        "`{backends_url}/systems/{system}/{operation}`, "
                        "`{backends_url}/channels/{channel}/{topic}`, `{backends_url}/clock`.",
                        min_length=1,
                    ),
                    "topology": obj(
                        "The locations.",
                        {
                            "dcs": {**_STRINGS, "description": "The distribution centres."},
                            "stores": {**_STRINGS, "description": "The stores."},
                            "regions": {
                                "type": "object",
                                "additionalProperties": {"type": "string"},
                                "description": "Each location's region.",
                            },
                        },
                        {
                            "region_hops": {
                                "type": "object",
                                "additionalProperties": {
                                    "type": "object",
                                    "additionalProperties": {"type": "integer", "minimum": 0},
                                },
                                "description": "How far apart two regions are for the "
                                "carrier, from -> to -> 0 (the same), 1 (neighbours) or 2 "
                                "(far): a parcel takes about a day, two or three. For "
                                "sourcing from the DC nearest the customer "
                                "(`hub_policy.sourcing`).",
                            },
                            "systems": {
                                **_STRINGS,
                                "description": "The backends this run's estate has, by the "
                                "name `/systems/{system}` takes: `tax` only when the scenario "
                                "has a tax engine (then the hub must ask it, "
                                "docs/integrate.md).",
                            },
                            "credentials": {
                                "type": "object",
                                "additionalProperties": obj(
                                    "How to get a token for this system.",
                                    {
                                        "token_operation": string(
                                            "The operation that issues tokens: "
                                            "`/systems/{system}/{token_operation}`."
                                        ),
                                        "client_id": string("The hub's client id."),
                                    },
                                    title="ClientCredentials",
                                ),
                                "description": "The backends whose API wants an access "
                                "token this run (`Authorization: Bearer`), by system; absent "
                                "or empty: none does.",
                            },
                            "marketplaces": {
                                **_STRINGS,
                                "description": "The marketplaces, by name, when the run "
                                "has several (absent: the one `marketplace`). Each speaks "
                                "the `marketplace` system's and channel's contract under its "
                                "own name: `/systems/{name}/acknowledge`, "
                                "`/channels/{name}/inventory`, webhooks from source `{name}`.",
                            },
                        },
                        title="Topology",
                    ),
                    "opening_stock": array(
                        obj(
                            "One position at the opening.",
                            {
                                "sku": string("The SKU."),
                                "location": string("A DC or a store."),
                                "on_hand": integer("Units there.", minimum=0),
                            },
                        ),
                        "Every position's stock when the day starts.",
                    ),
                    "hub_policy": {
                        "type": "object",
                        "description": "The scenario's `[hub]` table, as written: advice for "
                        "a hub that wants to play the scenario's design; nothing enforces it.",
                    },
                },
                title="DayStarted",
            ),
            "",
            {
                "type": "day.started",
                "scenario": "steady-day",
                "seed": 1,
                "speed": 60.0,
                "duration_s": 86400.0,
                "end_s": 108000.0,
                "backends_url": "http://127.0.0.1:41234",
                "topology": {
                    "dcs": ["DC-NORTH"],
                    "stores": ["ST-0001"],
                    "regions": {"DC-NORTH": "north", "ST-0001": "north"},
                    "systems": ["erp", "marketplace", "payment", "pos", "wms"],
                    "credentials": {"erp": {"token_operation": "auth.token", "client_id": "hub"}},
                },
                "opening_stock": [{"sku": "SKU-00001", "location": "DC-NORTH", "on_hand": 88}],
                "hub_policy": {"sync_mode": "event", "sync_interval_s": 2.0},
            },
        ),
        "day.closing": Message(
            "Close the trading day",
            obj(
                "Post what the day still owes (store summaries) and push the full feed.",
                {"type": const("day.closing"), "at": sim_time("When the twin asked.")},
                title="DayClosing",
            ),
            "",
            {"type": "day.closing", "at": 106200.0},
        ),
    },
)
