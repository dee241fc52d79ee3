"""Rerun the figures published in README.md and docs/ and rewrite their blocks (or,
with --check, exit 1 when one differs from what the code produces). The figures are
defined in figures/ (figures/registry.py lists them).

    python scripts/figures.py [--only NAME] [--quick | --expensive] [--check] [--list]
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from figures.__main__ import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
