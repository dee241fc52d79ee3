"""manifest.json: the last file written into an output folder, listing every other file
with its size and SHA-256, so a reader can tell a complete folder from one a writer
never finished, and a folder as written from one whose files were changed or mixed
since.

`retailtwin run --out DIR` and `compare --out DIR` write their files into a staging
folder, seal it with this manifest and only then rename it into place
(`scenarios.reports.out_folder`), so a manifest at DIR means DIR is complete. Each run
folder inside a comparison (runs/VARIANT/seed-N) carries its own manifest too, which
lets `replay` take it on its own. A file the manifest does not list (SQLite's -wal and
-shm files that a server reading the folder leaves behind) is not checked.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from scenarios.spec.errors import ScenarioError

MANIFEST_FILE = "manifest.json"
FORMAT = "retailtwin-output/1"
#: what a folder holds: one run's files, or a comparison with its runs under runs/
KINDS = ("run", "compare")


class IncompleteFolder(ScenarioError):
    """An output folder that is not complete as written: no manifest, or files that
    differ from what it lists."""


@dataclass(frozen=True, slots=True)
class Entry:
    #: relative to the folder, with forward slashes
    path: str
    size: int
    sha256: str


@dataclass(frozen=True, slots=True)
class Manifest:
    kind: str
    files: tuple[Entry, ...]

    def lists(self, path: str) -> bool:
        return any(entry.path == path for entry in self.files)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "kind": self.kind,
            "files": [{"path": e.path, "bytes": e.size, "sha256": e.sha256} for e in self.files],
        }


def _hash(path: Path, sync: bool) -> Entry:
    with path.open("rb") as handle:
        if sync:
            os.fsync(handle.fileno())
        digest = hashlib.file_digest(handle, "sha256").hexdigest()
        return Entry("", os.fstat(handle.fileno()).st_size, digest)


def _files(folder: Path) -> list[Path]:
    """Every file below `folder` but its own manifest (a sealed subfolder's is kept)."""
    own = folder / MANIFEST_FILE
    return sorted(path for path in folder.rglob("*") if path.is_file() and path != own)


def seal(folder: Path, kind: str) -> Manifest:
    """Write FOLDER/manifest.json over every file below FOLDER (the manifests of sealed
    subfolders included), each flushed to disk first, and the manifest itself last."""
    if kind not in KINDS:
        raise ValueError(f"kind {kind!r}: expected one of {KINDS}")
    entries = []
    for path in _files(folder):
        entry = _hash(path, sync=True)
        entries.append(Entry(path.relative_to(folder).as_posix(), entry.size, entry.sha256))
    manifest = Manifest(kind, tuple(entries))
    partial = folder / (MANIFEST_FILE + ".partial")
    with partial.open("w", encoding="utf-8") as handle:
        json.dump(manifest.to_json(), handle, indent=2)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(folder / MANIFEST_FILE)
    sync_folder(folder)
    return manifest


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (new names, renames) to disk."""
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


WHY = (
    "either the command that wrote it was killed before it finished, or an older "
    "retailtwin (before output folders carried a manifest) wrote it"
)


def read(folder: Path, shown: str) -> Manifest:
    """FOLDER/manifest.json, parsed; IncompleteFolder naming what is wrong."""
    path = folder / MANIFEST_FILE
    if not any(folder.iterdir()):
        raise IncompleteFolder(f"{shown}: is empty")
    if not path.is_file():
        raise IncompleteFolder(f"{shown}: incomplete: no {MANIFEST_FILE}; {WHY}")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        files = tuple(
            Entry(str(item["path"]), int(item["bytes"]), str(item["sha256"]))
            for item in data["files"]
        )
        kind = str(data["kind"])
        if data["format"] != FORMAT or kind not in KINDS:
            raise ValueError(f"format {data['format']!r}, kind {kind!r}")
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise IncompleteFolder(
            f"{shown}: {MANIFEST_FILE} cannot be read ({exc}); expected one written by "
            f"retailtwin, format {FORMAT}",
        ) from None
    return Manifest(kind, files)


def verify(folder: Path, shown: str) -> Manifest:
    """The folder's manifest, once every file it lists is there with its recorded size
    and hash; IncompleteFolder naming the first file that is not."""
    manifest = read(folder, shown)
    for entry in manifest.files:
        path = folder / entry.path
        if not path.is_file():
            raise IncompleteFolder(
                f"{shown}: {entry.path} is missing, though {MANIFEST_FILE} lists it; the "
                "folder was changed after it was written",
            )
        found = _hash(path, sync=False)
        if (found.size, found.sha256) != (entry.size, entry.sha256):
            raise IncompleteFolder(
                f"{shown}: {entry.path} is not the file that was written there "
                f"({found.size:,} bytes, sha256 {found.sha256[:12]}...; {MANIFEST_FILE} "
                f"records {entry.size:,} bytes, sha256 {entry.sha256[:12]}...): it was "
                "changed or replaced after the folder was written",
            )
    return manifest
