"""Export the schemas' SDL to docs/: the composed schema clients see
(docs/schema.graphql) and each subgraph's federation SDL (docs/schema/NAME.graphql),
which is what a gateway composes. `--check` exits 1 if the files are out of date (a
test runs the same comparison).

    python -m graph.sdl            # or: make schema
    python -m graph.sdl --check
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from graph.schema import SUBGRAPHS, composed_schema, composed_sdl, subgraph_schema, subgraph_sdl

DOCS = Path(__file__).resolve().parent.parent / "docs"


def rendered() -> dict[str, str]:
    """Relative path under docs/ -> SDL text."""
    files = {"schema.graphql": composed_sdl(composed_schema())}
    for name in SUBGRAPHS:
        files[f"schema/{name}.graphql"] = subgraph_sdl(subgraph_schema(name))
    return files


def stale(docs: Path = DOCS) -> list[str]:
    """Files under `docs` that differ from the code's schemas."""
    return [
        path
        for path, text in rendered().items()
        if not (docs / path).is_file() or (docs / path).read_text() != text
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m graph.sdl",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--out", type=Path, default=DOCS)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    if args.check:
        out_of_date = stale(args.out)
        for path in out_of_date:
            print(f"{args.out / path} is out of date; run `make schema`", file=sys.stderr)
        return 1 if out_of_date else 0
    for path, text in rendered().items():
        target = args.out / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
        print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
