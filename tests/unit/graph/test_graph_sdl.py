"""The exported SDL in docs/ matches the code (regenerate with `make schema`)."""

from __future__ import annotations

from graph.sdl import stale


def test_docs_schema_files_are_up_to_date() -> None:
    assert stale() == [], "run `make schema` and commit docs/schema*"
