"""Where a finished run's read model is in its output folder.

Why a module of its own: `replay DIR` and `serve --db DIR` find the file before anything
is projected or served, and the projector (projector.py) brings the read model's
database layer with it.
"""

from __future__ import annotations

from pathlib import Path

#: the read model's file in a run's output folder (`run --out DIR`, `serve --db DIR`)
READ_MODEL_FILE = "read_model.sqlite"


def read_model_path(out: Path) -> Path:
    """The database file inside a run's output directory (or `out` itself if a file)."""
    return out / READ_MODEL_FILE if out.is_dir() or not out.suffix else out
