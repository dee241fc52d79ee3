"""docs/contract.openapi.json, written from `simulators.contract`, the one source of the
contract, so the published document cannot promise what the code does not check or miss
what it does.

    python scripts/contract.py           rewrite docs/contract.openapi.json
    python scripts/contract.py --check   exit 1 if it is out of date

`tests/unit/contract/test_document.py` runs the check.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from simulators.contract.openapi import document  # noqa: E402

DOC = ROOT / "docs" / "contract.openapi.json"


def render() -> str:
    """The document as written: sorted keys, two-space indent, a trailing newline."""
    return json.dumps(document(), sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check; exit 1 if stale")
    args = parser.parse_args(argv)
    fresh = render()
    if args.check:
        if not DOC.is_file() or DOC.read_text(encoding="utf-8") != fresh:
            print(
                f"{DOC.relative_to(ROOT)}: the contract is out of date; run "
                "`python scripts/contract.py` (or `make contract`)"
            )
            return 1
        return 0
    DOC.write_text(fresh, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
