"""Which run a read model holds, so that a live twin restarted on the same database
finds its own rows there and not another run's.

A live twin that dies and is started again with the same `--database-url` rebuilds its
day (scenario, seed and the commands it had accepted) and projects it into the same
database afresh. That is right only if the database holds that same run: rows of
another scenario or seed would be overwritten where ids happen to match and served
where they do not. So the database stores the identity of its run, and a run that
begins on it is refused, naming what differs, when it is another.

The identity is what makes a run this run: the scenario's name, the seed and the
`--set` overrides, as the command line gave them (in order: a later override of the
same field wins). The overrides are compared by their digest and kept in full for the
message.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any


@dataclass(frozen=True, slots=True)
class RunIdentity:
    scenario: str
    seed: int
    overrides: tuple[str, ...] = ()

    @classmethod
    def of(cls, scenario: str, seed: int, overrides: Sequence[str] = ()) -> RunIdentity:
        return cls(scenario, seed, tuple(overrides))

    @property
    def overrides_digest(self) -> str:
        encoded = json.dumps(list(self.overrides)).encode()
        return hashlib.blake2b(encoded, digest_size=16).hexdigest()

    def row(self) -> dict[str, Any]:
        """The identity as the row tables.run_identity holds (one row, id 1)."""
        return {
            "id": 1,
            "scenario": self.scenario,
            "seed": str(self.seed),
            "overrides_digest": self.overrides_digest,
            "overrides": list(self.overrides),
        }

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> RunIdentity:
        return cls(str(row["scenario"]), int(row["seed"]), tuple(row["overrides"]))

    def differences(self, stored: RunIdentity) -> list[str]:
        """What `stored` (the database's run) has that this run has not, one phrase
        each, the database's value first."""
        found = []
        if stored.scenario != self.scenario:
            found.append(f"scenario {stored.scenario} (not {self.scenario})")
        if stored.seed != self.seed:
            found.append(f"seed {stored.seed} (not {self.seed})")
        if stored.overrides_digest != self.overrides_digest:
            found.append(f"overrides {_shown(stored.overrides)} (not {_shown(self.overrides)})")
        return found


def _shown(overrides: tuple[str, ...]) -> str:
    return "[" + ", ".join(overrides) + "]" if overrides else "none"


class RunStart(Enum):
    """What `ReadModel.begin_run` found."""

    #: the database held no run: its identity is now this run's
    NEW = "new"
    #: the database held this run: its rows were cleared for the projection to start afresh
    RESTART = "restart"


class ForeignRun(RuntimeError):
    """The database holds another run (or rows of a run that does not say which it
    is); nothing was changed. The message names what differs."""

    def __init__(self, wanted: RunIdentity, stored: RunIdentity | None) -> None:
        self.wanted = wanted
        self.stored = stored
        self.differences = wanted.differences(stored) if stored is not None else []
        if stored is None:
            message = (
                "the database holds rows of a run that does not say which it is (a finished "
                "run's read model, or one an older retailtwin wrote); use an empty database"
            )
        else:
            message = "the database holds another run: " + ", ".join(self.differences)
        super().__init__(message)
