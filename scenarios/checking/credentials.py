"""Expiring credentials from ground truth: what each guarded backend's token endpoint
issued, and how long its API refused the hub for want of a valid token.

The figures are the token authorities' own (simulators/credentials.py), never the
hub's: a hub that believes it holds a good token while the API answers 401 is
unauthorised all the same. A spell still open when the run ends is counted to the end
and flagged (`unauthorised_at_end`): the longest spell is then a lower bound.
"""

from __future__ import annotations

from typing import Any

from scenarios.checking.latency import run_end
from scenarios.twin.run_result import RunResult

__all__ = ["credentials_metrics", "credentials_state", "longest_unauthorised_s"]


def credentials_metrics(result: RunResult) -> dict[str, dict[str, Any]]:
    """Per backend whose API wants a token ({} when none does)."""
    end = run_end(result)
    figures: dict[str, dict[str, Any]] = {}
    for system, authority in sorted(result.estate.authorities.items()):
        spells = authority.unauthorised_s(end)
        since = authority.unauthorised_since
        figures[system] = {
            "token_lifetime_s": authority.lifetime_s,
            "tokens_issued": authority.issued,
            "unauthorised_401": authority.unauthorised,
            "token_requests_refused": authority.refused_token_requests,
            "revocations": authority.revocations,
            "tokens_revoked": authority.revoked_tokens,
            "unauthorised_spells": spells.count,
            "unauthorised_s": round(spells.total_s, 3),
            "longest_unauthorised_s": round(spells.longest_s, 3),
            "unauthorised_at_end": since is not None and since < end,
        }
    return figures


def longest_unauthorised_s(metrics: dict[str, Any]) -> tuple[float, bool]:
    """The longest spell any backend refused the hub for (0 without tokens), and
    whether it is a lower bound (a spell still open at the end)."""
    systems = metrics.get("credentials", {}).values()
    longest = max((s["longest_unauthorised_s"] for s in systems), default=0.0)
    return float(longest), any(s["unauthorised_at_end"] for s in systems)


def credentials_state(result: RunResult) -> list[dict[str, Any]]:
    """Each guarded backend as the operations view shows it now ([] when none is): the
    same ground truth for the built-in hub and an external one."""
    now = result.estate.now
    rows = []
    for system, authority in sorted(result.estate.authorities.items()):
        since = authority.unauthorised_since
        valid_until = authority.valid_until()
        rows.append(
            {
                "system": system,
                "authorised": authority.authorised(),
                "token_expires_at": valid_until if valid_until > now else None,
                "tokens_issued": authority.issued,
                "unauthorised_401": authority.unauthorised,
                "token_requests_refused": authority.refused_token_requests,
                "unauthorised_s": round(authority.unauthorised_s(now).total_s, 3),
                "unauthorised_since": since if since is not None and since <= now else None,
            }
        )
    return rows
