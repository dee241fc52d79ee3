"""Faults started and ended through the API, on a live twin.

The same toggles the scenario's fault schedule uses (scenarios/twin/faults.py), validated by
the same loader rules as a `[[faults]]` table, so a fault the API accepts is one a
scenario file could have asked for, and an unknown target gets the same message.
"""

from __future__ import annotations

import itertools
from typing import Any

import simpy

from graph.control import FaultRequest, Outcome
from scenarios.checking.operations import FaultState
from scenarios.live.ports import RunningTwin
from scenarios.spec.errors import ScenarioError
from scenarios.spec.loader import scenario_from_dict
from scenarios.twin.faults import Toggle, toggle_for

_FAULT_FIELDS = {"target": "target", "kind": "kind", "rate": "rate", "duration": "durationSeconds"}


class LiveFaults:
    def __init__(self, twin: RunningTwin) -> None:
        self._twin = twin
        self._fault_ids = itertools.count(1)
        self._toggles: dict[str, Toggle] = {}

    def _fault_spec(self, request: FaultRequest) -> Any:
        """Validate a fault exactly as the scenario loader validates a fault table."""
        raw = {
            "scenario": {"name": "api-fault", "description": "a fault from the API"},
            "world": {"regions": list(self._twin.scenario.world.regions)},
            "faults": [
                {
                    "target": request.target,
                    "kind": request.kind,
                    "start": 0,
                    "duration": request.duration_s or 1.0,
                    "rate": request.rate,
                }
            ],
        }
        return scenario_from_dict(raw).faults[0]

    def start(self, request: FaultRequest) -> Outcome:
        if not request.target or not request.kind:
            return Outcome.refused(
                ("target" if not request.target else "kind",),
                "a START needs a target and a kind",
                "INVALID",
            )
        try:
            spec = self._fault_spec(request)
            toggle = toggle_for(self._twin.result.estate, spec)
        except ScenarioError as exc:
            name = (exc.field or "").rsplit(".", 1)[-1]
            field = _FAULT_FIELDS.get(name, "target")
            code = "UNKNOWN_FAULT_TARGET" if field == "target" else "INVALID_FAULT"
            message = str(exc).split(": ", 1)[-1] if exc.field else str(exc)
            return Outcome.refused((field,), message, code)
        fault_id = f"api-{next(self._fault_ids)}"
        now = float(self._twin.env.now)
        toggle[0]()
        self._toggles[fault_id] = toggle
        state = FaultState(fault_id, spec.target, spec.kind, spec.rate, True, now, -1.0, "api")
        self._twin.api_faults.append(state)
        if request.duration_s is not None:
            self._twin.env.process(self._end_later(fault_id, request.duration_s))
        return Outcome(id=fault_id, data={"fault": self._fault_json(fault_id)})

    def _end_later(self, fault_id: str, duration_s: float) -> Any:
        env: simpy.Environment = self._twin.env
        yield env.timeout(duration_s)
        self._stop(fault_id)

    def _stop(self, fault_id: str) -> bool:
        toggle = self._toggles.pop(fault_id, None)
        if toggle is None:
            return False
        toggle[1]()
        faults = self._twin.api_faults
        for i, state in enumerate(faults):
            if state.id == fault_id:
                faults[i] = FaultState(
                    state.id,
                    state.target,
                    state.kind,
                    state.rate,
                    False,
                    state.started_at,
                    float(self._twin.env.now),
                    "api",
                )
        return True

    def end(self, fault_id: str | None) -> Outcome:
        if not fault_id:
            return Outcome.refused(
                ("faultId",), "an END needs the faultId a START returned", "INVALID"
            )
        known = {state.id for state in self._twin.api_faults}
        if fault_id not in known:
            return Outcome.refused(
                ("faultId",),
                f"no fault {fault_id!r} was started through the API",
                "FAULT_NOT_FOUND",
            )
        if not self._stop(fault_id):
            return Outcome.refused(("faultId",), f"fault {fault_id} has already ended", "INVALID")
        return Outcome(id=fault_id, data={"fault": self._fault_json(fault_id)})

    def _fault_json(self, fault_id: str) -> dict[str, Any]:
        state = next(s for s in self._twin.api_faults if s.id == fault_id)
        return {
            "id": state.id,
            "target": state.target,
            "kind": state.kind,
            "rate": state.rate,
            "active": state.active,
            "started_at": state.started_at,
            "ended_at": state.ended_at,
            "origin": state.origin,
        }
