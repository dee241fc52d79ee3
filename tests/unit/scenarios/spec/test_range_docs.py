"""docs/scenarios.md's range checks name exactly the fields the loader holds to > 0: the
list is written twice (the code's set and the prose), so a test keeps them together."""

from __future__ import annotations

import re
from pathlib import Path

from scenarios.spec import value_ranges

DOCS = Path(__file__).resolve().parents[4] / "docs" / "scenarios.md"


def documented_positive_fields() -> set[str]:
    text = DOCS.read_text(encoding="utf-8")
    start = text.index("These fields must be > 0:")
    end = text.index("\n- ", start)
    return {
        "duration_s" if name == "duration" else name
        for name in re.findall(r"`(\w+)`", text[start:end])
    }


def test_the_docs_name_every_field_that_must_be_positive_and_no_other() -> None:
    assert documented_positive_fields() == set(value_ranges.POSITIVE_FIELDS)
