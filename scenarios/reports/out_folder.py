"""The life of an output folder (`run --out DIR`, `compare --out DIR`): checked before
the run, claimed by one writer, written aside, published by rename.

A reader of DIR sees a complete folder or none, never a half-written one or files of
two runs mixed:

- Before the run, DIR's parent is created if missing and must take new files, and DIR
  must be a folder (or nothing yet). A bad `--out` is refused with exit 2 naming it,
  before a minute of simulation is spent.
- The writer claims DIR with an exclusive `flock` on `.DIR.lock` beside it, held until
  it is done. A second writer is refused at once (exit 2, naming the first one's pid
  and command). The kernel drops the lock when its holder dies, however it dies, so a
  claim left by a killed writer never blocks the next one; that one removes what the
  killed writer left (its `.DIR.partial-PID`).
- Everything is written into `.DIR.partial-PID` beside DIR (same file system, so the
  rename below is atomic), then sealed with manifest.json (`scenarios.reports.manifest`)
  and renamed to DIR. A DIR that already holds a complete folder is swapped with the
  new one in one step (Linux `renameat2(RENAME_EXCHANGE)`), then the old one, now at
  the staging name, is removed: a crash at any moment leaves the old complete folder
  or the new one at DIR. Where the exchange is not available, the old folder is
  renamed aside to `.DIR.old-PID` first, and the next writer puts it back if a crash
  came between the two renames.

`--out` replaces the folder: what a previous run left there is gone once the new run
is published. So DIR must be new, empty, or hold only files retailtwin writes; a
folder with anything else in it is refused rather than deleted.
"""

from __future__ import annotations

import fcntl
import os
import shlex
import shutil
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from scenarios.reports import forked, manifest
from scenarios.reports.atomic_swap import exchange
from scenarios.spec.errors import ScenarioError

#: what retailtwin writes into an output folder (a run's files, a comparison's files
#: and its runs/ folder, the manifest, SQLite's companions of the read model)
WRITTEN_NAMES = frozenset(
    {
        manifest.MANIFEST_FILE,
        "report.json",
        "junit.xml",
        "report.html",
        "metrics.prom",
        "read_model.sqlite",
        "read_model.sqlite-wal",
        "read_model.sqlite-shm",
        "read_model.sqlite-journal",
        "compare.json",
        "compare.csv",
        "runs.csv",
        "runs",
    }
)

#: for tests: pause at this moment of a writer's life (see `hold`)
HOLD_ENV = "RETAILTWIN_OUT_HOLD"


class OutFolderError(ScenarioError):
    """An output folder that cannot be written, or is being written by another process."""


def _sibling(target: Path, what: str) -> Path:
    return target.parent / f".{target.name}.{what}"


@dataclass(slots=True)
class OutFolder:
    """A claimed output folder: write into `staging`, then `publish`."""

    #: the path as the user gave it, for messages
    shown: str
    option: str
    #: where the folder will be (symbolic links resolved)
    target: Path
    staging: Path
    #: what was done about what killed writers had left beside the target, one line each
    cleaned: list[str] = field(default_factory=list)
    published: bool = False
    _lock_fd: int = -1

    @classmethod
    def claim(cls, path: Path, option: str = "--out") -> OutFolder:
        """Check `path`, claim it and make its staging folder; OutFolderError (exit 2)
        naming the path when it cannot be used."""
        shown = str(path)
        target = path.expanduser().resolve()
        _check_parent(target, shown, option)
        lock_path = _sibling(target, "lock")
        lock_fd = _take_lock(lock_path, shown, option)
        folder = cls(shown, option, target, _sibling(target, f"partial-{os.getpid()}"))
        folder._lock_fd = lock_fd
        forked.parent_only(lock_fd)  # a forked helper must not keep the claim alive
        try:
            _check_target(target, shown, option)
            folder.cleaned = _clean_leftovers(target)
            try:
                folder.staging.mkdir()
            except OSError as exc:
                raise _unwritable(shown, option, target.parent, exc) from None
        except BaseException:
            folder.release()
            raise
        hold("claimed", folder.staging)
        return folder

    def publish(self, kind: str) -> manifest.Manifest:
        """Seal the staging folder and rename it into place (replacing what was there)."""
        sealed = manifest.seal(self.staging, kind)
        hold("sealed", self.staging)
        _check_target(self.target, self.shown, self.option)  # nothing moved in meanwhile
        parent = self.target.parent
        if not self.target.exists():
            os.rename(self.staging, self.target)
        elif exchange(self.staging, self.target):
            hold("swapped", self.staging)
            shutil.rmtree(self.staging)  # the old folder, now at the staging name
        else:
            aside = _sibling(self.target, f"old-{os.getpid()}")
            os.rename(self.target, aside)
            hold("aside", aside)
            os.rename(self.staging, self.target)
            shutil.rmtree(aside)
        manifest.sync_folder(parent)
        self.published = True
        return sealed

    def release(self) -> None:
        """Remove the staging folder unless published, and give up the claim."""
        if not self.published:
            shutil.rmtree(self.staging, ignore_errors=True)
        if self._lock_fd >= 0:
            # unlinked while still locked: a writer that opened the old file sees, once
            # it gets the lock, that the path is no longer that file, and tries again
            _sibling(self.target, "lock").unlink(missing_ok=True)
            forked.forget(self._lock_fd)
            os.close(self._lock_fd)
            self._lock_fd = -1


@contextmanager
def claimed(path: Path, option: str = "--out") -> Iterator[OutFolder]:
    """`OutFolder.claim(path)`, released on the way out whatever happens; an OSError
    while writing becomes an OutFolderError saying that nothing was published."""
    folder = OutFolder.claim(path, option)
    try:
        yield folder
    except OSError as exc:
        raise OutFolderError(
            f"{option} {folder.shown}: writing failed ({exc}); nothing was published, and "
            f"{folder.shown} is as it was",
            field=option,
        ) from None
    finally:
        folder.release()


def _unwritable(shown: str, option: str, where: Path, exc: OSError) -> OutFolderError:
    return OutFolderError(
        f"{option} {shown}: cannot create anything in {where} ({exc.strerror}); "
        "expected a folder you can write in",
        field=option,
    )


def _check_parent(target: Path, shown: str, option: str) -> None:
    parent = target.parent
    if target == parent:
        raise OutFolderError(
            f"{option} {shown}: is the root folder; give a folder to write the run into",
            field=option,
        )
    lineage = [*reversed(parent.parents), parent]
    blocker = next((p for p in lineage if p.exists() and not p.is_dir()), None)
    if blocker is not None:
        raise OutFolderError(
            f"{option} {shown}: {blocker} is a file, so no folder can be made under it",
            field=option,
        )
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutFolderError(
            f"{option} {shown}: cannot create its parent folder {parent} ({exc.strerror})",
            field=option,
        ) from None


def _check_target(target: Path, shown: str, option: str) -> None:
    if target.exists() and not target.is_dir():
        raise OutFolderError(
            f"{option} {shown}: is a file; expected a folder (a new one, or one that "
            "retailtwin wrote before, which is replaced)",
            field=option,
        )
    if not target.is_dir():
        return
    if os.path.ismount(target):
        raise OutFolderError(
            f"{option} {shown}: is a mount point, which cannot be replaced by renaming; "
            "give a folder inside it",
            field=option,
        )
    foreign = sorted(entry.name for entry in target.iterdir() if entry.name not in WRITTEN_NAMES)
    if foreign:
        named = ", ".join(foreign[:3]) + (
            f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
        )
        raise OutFolderError(
            f"{option} {shown}: holds files retailtwin did not write ({named}); --out "
            "replaces the whole folder, so give a new or empty folder, or one an earlier "
            "run wrote",
            field=option,
        )


#: how long a refused writer waits for the claim's holder to write its name: the holder
#: writes it just after taking the lock, so two writers started together can find it
#: taken and still empty
_HOLDER_NAME_WAIT_S = 1.0


def _holder(fd: int) -> str:
    """Who holds the claim, as it wrote itself into the lock file."""
    deadline = time.monotonic() + _HOLDER_NAME_WAIT_S
    while True:
        holder = os.pread(fd, 4096, 0).decode("utf-8", "replace").strip()
        if holder or time.monotonic() >= deadline:
            return holder or "unknown"
        time.sleep(0.01)


def _take_lock(lock_path: Path, shown: str, option: str) -> int:
    """An exclusive flock on `lock_path`, with this process named in it."""
    while True:
        try:
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError as exc:
            raise _unwritable(shown, option, lock_path.parent, exc) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise OutFolderError(
                f"{option} {shown}: another retailtwin is writing it ({holder}); wait for "
                "it to finish, or write elsewhere",
                field=option,
            ) from None
        try:
            same = os.stat(lock_path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # its holder removed it as we opened it: take the new one
    command = shlex.join(["retailtwin", *sys.argv[1:]])
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"pid {os.getpid()}, `{command}`, since {time.strftime('%H:%M:%S')}".encode(), 0)
    return fd


def _clean_leftovers(target: Path) -> list[str]:
    """Remove what killed writers left beside `target` (called with the claim held, so
    nobody else is writing them), saying what was done; a folder renamed aside by a
    writer killed before it put the new one in place goes back to `target` first."""
    notes: list[str] = []
    for leftover in sorted(target.parent.glob(f".{target.name}.old-*")):
        if not target.exists():
            os.rename(leftover, target)
            notes.append(
                f"put back {target} from {leftover}, where a writer killed while "
                "replacing it had left it"
            )
        else:
            shutil.rmtree(leftover, ignore_errors=True)
            notes.append(f"removed {leftover}, left by a writer that was killed")
    for leftover in sorted(target.parent.glob(f".{target.name}.partial-*")):
        shutil.rmtree(leftover, ignore_errors=True)
        notes.append(f"removed {leftover}, left by a writer that was killed")
    return notes


def hold(moment: str, where: Path) -> None:
    """For the tests that kill a writer at a chosen moment: with RETAILTWIN_OUT_HOLD set
    to `moment`, say so on stderr and wait for a line on stdin before going on."""
    if os.environ.get(HOLD_ENV) != moment:
        return
    print(f"retailtwin: holding at {moment} ({where})", file=sys.stderr, flush=True)
    sys.stdin.readline()
