"""Simulated time as timestamps.

The hub counts seconds since the start of the run; frontends want ISO timestamps. The
twin's day 0 is `SIM_EPOCH` (Black Friday 2025, midnight UTC), the same for every run, so
a timestamp means the same simulated moment in a finished run and a live one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

SIM_EPOCH = datetime(2025, 11, 28, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return SIM_EPOCH + timedelta(seconds=seconds)


def maybe_at(seconds: float) -> datetime | None:
    """None for the read model's "never" (a negative time)."""
    return None if seconds < 0 else at(seconds)


def seconds(moment: datetime) -> float:
    """A timestamp back to run seconds; a naive timestamp is taken as UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - SIM_EPOCH).total_seconds()
