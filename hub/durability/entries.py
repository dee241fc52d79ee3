"""The journal's entries: one per input the hub handled, with the time it handled it.

Replaying the entries in order through a fresh hub, with its clock showing each entry's
time, rebuilds the hub as it was when the last of them was committed (its handlers are
deterministic, its randomness comes from a stream restarted with the same seed). So an
entry holds exactly what the hub was given: the message, the answer, the timer, the
operator's action and its arguments.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from hub.frozen import direct_init

#: a message's or an answer's content, as hub.ports.Body (not imported: ports imports
#: this module for the store's signature)
Body = Mapping[str, Any]


class OperatorAction(StrEnum):
    """What a runtime or an operator asks of the hub besides messages and answers."""

    LOAD_STOCK = "load_stock"
    END_OF_DAY = "end_of_day"
    REPLAY_DEAD_LETTERS = "replay_dead_letters"


@direct_init
@dataclass(frozen=True, slots=True)
class Received:
    source: str
    message_id: int
    payload: Body
    at: float


@direct_init
@dataclass(frozen=True, slots=True)
class Answered:
    system: str
    call_id: int
    status: int
    body: Body
    at: float


@direct_init
@dataclass(frozen=True, slots=True)
class TimerFired:
    timer: tuple[str, Any]
    at: float


@direct_init
@dataclass(frozen=True, slots=True)
class Operated:
    action: OperatorAction
    args: tuple[Any, ...]
    at: float


Entry = Received | Answered | TimerFired | Operated
