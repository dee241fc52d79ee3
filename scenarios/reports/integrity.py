"""An integrity hash over report.json, so `replay` can tell a report that was edited
after the run from one that was not.

The hash covers the canonical JSON of every field but `integrity` itself (keys sorted,
no whitespace, UTF-8), so re-indenting the file does not matter but changing a value,
a seed or an override does. It is a checksum against accidents and hand edits, not a
signature: anyone who edits the report can also recompute the hash, and nothing here
pretends otherwise. What cannot be faked is the digest: `replay` reruns the recorded
scenario, and a changed spec gives a different digest.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from scenarios.spec.errors import ScenarioError

FIELD = "integrity"
ALGORITHM = "sha256"


class IntegrityError(ScenarioError):
    """report.json does not carry a valid integrity hash over its own content."""


def canonical(report: dict[str, Any]) -> bytes:
    content = {key: value for key, value in report.items() if key != FIELD}
    return json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def content_hash(report: dict[str, Any]) -> str:
    # normalise through JSON first, so tuples and the like hash as they will be read back
    plain = json.loads(json.dumps(report))
    return hashlib.sha256(canonical(plain)).hexdigest()


def seal(report: dict[str, Any]) -> dict[str, Any]:
    """`report` with an `integrity` field holding the hash of everything else."""
    return {**report, FIELD: {"algorithm": ALGORITHM, "content_sha256": content_hash(report)}}


def verify(report: dict[str, Any], source: str = "report.json") -> None:
    """Raise IntegrityError naming what is wrong unless `report`'s hash matches."""
    seal_field = report.get(FIELD)
    if seal_field is None:
        raise IntegrityError(
            f"{source}: no {FIELD} field; expected a report written by `retailtwin run "
            f"--out` or `compare --out`, which seal it with a {ALGORITHM} hash",
            field=FIELD,
        )
    recorded = seal_field.get("content_sha256") if isinstance(seal_field, dict) else None
    algorithm = seal_field.get("algorithm") if isinstance(seal_field, dict) else None
    if algorithm != ALGORITHM or not isinstance(recorded, str):
        raise IntegrityError(
            f'{source}: {FIELD}: expected {{"algorithm": "{ALGORITHM}", '
            f'"content_sha256": HEX}}, got {json.dumps(seal_field)}',
            field=FIELD,
        )
    actual = content_hash(report)
    if actual != recorded:
        raise IntegrityError(
            f"{source}: has been modified since it was written: its content hashes to "
            f"{actual[:16]}..., but {FIELD}.content_sha256 records {recorded[:16]}...; "
            "refusing to replay a tampered report",
            field=FIELD,
        )
