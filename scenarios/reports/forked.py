"""What the helper processes of `run --out DIR` share: when to fork one, how a child
cuts itself off from its parent's business, and how it answers.

`run --out` forks a helper that does one part of the folder on the machine's other
core: the read model's writer (`read_model_process`), forked when the run ends; and,
when asked for (to compare), the page drawer (`page_process`), forked before the run.
Both follow the same rules, kept here once:

- **Only with a core to spare and `fork`** (`can_fork`): on one core a helper only
  adds a process switch to the same work, so the work is done in process instead.
- **Never outlives the run.** A helper learns of its parent's death from a pipe only
  the parent writes: the kernel closes it however the parent dies, SIGKILL included.
  For that to hold, no other process may hold that pipe's write end, so every
  descriptor a helper must not keep (the other helper's pipes, the `--out` claim's
  lock) is registered here by its owner (`parent_only`) and closed by each child at
  once (`enter_child`). The claim's lock matters for its own sake: a child holding it
  would keep the next writer out after its parent was killed.
- **Ignores Ctrl-C.** The terminal sends SIGINT to the whole group; the parent, which
  handles it, kills and reaps its helpers on the way out (exit 130, one line).
- **Leaves by `os._exit`**, never through the parent's `finally` blocks or exit hooks,
  which would release the parent's claim or remove its staging folder.
- **Answers with a pickled `(ok, value)`**, where a failure's value is its traceback,
  so the parent raises it with the child's own account (`answer`).
"""

from __future__ import annotations

import gc
import os
import pickle
import signal
import traceback
from collections.abc import Callable
from contextlib import suppress
from typing import Any, NoReturn

#: descriptors of the parent that no helper may keep (see the module's docstring)
_PARENT_ONLY: set[int] = set()


def parent_only(*fds: int) -> None:
    """Register descriptors a forked helper must close at once."""
    _PARENT_ONLY.update(fds)


def forget(*fds: int) -> None:
    """Unregister descriptors: closed, or handed over."""
    _PARENT_ONLY.difference_update(fds)


def second_core() -> bool:
    affinity = getattr(os, "sched_getaffinity", None)
    cores = len(affinity(0)) if affinity is not None else (os.cpu_count() or 1)
    return cores > 1


def can_fork(inline_env: str | None = None) -> bool:
    """Whether to fork a helper: `fork` exists, there is a second core, and the
    environment variable `inline_env`, if named (for comparing, `make bench`), is not
    set."""
    inline = inline_env is not None and bool(os.environ.get(inline_env))
    return hasattr(os, "fork") and second_core() and not inline


def enter_child(keep: tuple[int, ...]) -> None:
    """First thing in a forked helper: ignore Ctrl-C, close what the parent registered
    (`parent_only`) but the descriptors in `keep`, and collect no garbage: the
    parent's heap, all alive, is frozen out of the collector's reach (`gc.freeze`), so
    no collection walks it, which would also copy its pages (copy-on-write), and the
    collector is off (`gc.disable`). A helper does one job and leaves by `os._exit`,
    and what it makes (the read model's records, the page's SVG) is freed by reference
    counting: steady-day's writer ran one young collection over its records, about
    0.03 s of CPU time, and it found nothing to free."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # blocked across the fork (`fork_helper`): one sent before the line above is
    # dropped now, instead of ending the helper
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    for fd in sorted(_PARENT_ONLY - set(keep)):
        with suppress(OSError):  # closed already in the parent before the fork
            os.close(fd)
    _PARENT_ONLY.clear()
    gc.freeze()
    gc.disable()


def leave(code: int) -> NoReturn:
    """End a helper at once (see the module's docstring)."""
    os._exit(code)


def serve(jobs: int, answers: int, work: Callable[[], Any]) -> NoReturn:
    """The life of a helper after the fork: `enter_child`, then `work()`, answered as
    `(True, its value)` or `(False, its traceback)`, then `leave`. `work` reads its job
    from `jobs` itself (and may `leave` at once when there is none)."""
    code = 0
    try:
        enter_child(keep=(jobs, answers))
        try:
            answer: tuple[bool, Any] = (True, work())
        except Exception:
            answer = (False, traceback.format_exc())
        send_answer(answers, *answer)
    except BaseException:
        code = 1
    finally:
        leave(code)


def send_answer(fd: int, ok: bool, value: Any) -> None:
    """Write a helper's answer to the parent and close the pipe; a parent gone by then
    (a broken pipe) has nothing left to tell."""
    try:
        with os.fdopen(fd, "wb") as pipe:
            pipe.write(pickle.dumps((ok, value), protocol=pickle.HIGHEST_PROTOCOL))
    except BrokenPipeError:
        pass


def read_all(fd: int) -> bytes:
    """Everything written to pipe `fd` until every writer has closed it; closes it."""
    with os.fdopen(fd, "rb") as pipe:
        return pipe.read()


def ended(status: int) -> str:
    """How a reaped child ended, for a message: its exit status or its signal."""
    if os.WIFSIGNALED(status):
        return f"killed by signal {os.WTERMSIG(status)}"
    return f"exit status {os.waitstatus_to_exitcode(status)}"


def answer(raw: bytes, pid: int, status: int, what: str) -> tuple[bool, Any]:
    """The `(ok, value)` a helper sent, or `(False, why there is none)` when it ended
    without answering; `what` names what it was making, for that message."""
    if not raw:
        return False, f"the process {what} (pid {pid}) ended without answering ({ended(status)})"
    try:
        ok, value = pickle.loads(raw)
    except Exception as exc:  # a helper killed while answering: a cut pickle
        return False, f"the process {what} (pid {pid}) sent a broken answer ({exc!r})"
    return bool(ok), value


class Helper:
    """A forked helper as its parent holds it: its pid, the write end of its job pipe
    and the read end of its answer pipe. Each end is taken once (`take_jobs`,
    `take_answers`) by whoever writes or reads it; `close` ends the rest."""

    def __init__(self, pid: int, jobs: int, answers: int) -> None:
        self.pid = pid
        self._jobs = jobs
        self._answers = answers
        self._reaped = False
        #: CPU seconds (user + system) the helper spent, once reaped: for
        #: `benchmarks.out_parts`, which says what each process of `run --out` costs
        self.cpu_s = 0.0
        #: its minor page faults, once reaped: a fork's copy-on-write shows there
        self.minor_faults = 0

    def take_jobs(self) -> int:
        """The job pipe's write end, now the caller's to write and close."""
        jobs, self._jobs = self._jobs, -1
        forget(jobs)
        return jobs

    def take_answers(self) -> int:
        """The answer pipe's read end, now the caller's to read and close."""
        answers, self._answers = self._answers, -1
        forget(answers)
        return answers

    def reap(self) -> int:
        """Wait for the helper to end; its wait status."""
        _, status, usage = os.wait4(self.pid, 0)
        self._reaped = True
        self.cpu_s = usage.ru_utime + usage.ru_stime
        self.minor_faults = usage.ru_minflt
        return status

    def close(self) -> None:
        """Kill the helper unless it has been reaped, reap it, and close the pipe ends
        nobody took."""
        if not self._reaped:
            os.kill(self.pid, signal.SIGKILL)
            self.reap()
        for fd in (self._jobs, self._answers):
            if fd >= 0:
                forget(fd)
                os.close(fd)
        self._jobs = self._answers = -1


def fork_helper(child: Callable[[int, int], NoReturn]) -> Helper:
    """Fork a helper that runs `child(jobs, answers)` (the read end of its job pipe,
    the write end of its answer pipe) and never returns; the parent's ends are
    registered `parent_only`, so a helper forked later does not keep them."""
    jobs_r, jobs_w = os.pipe()
    answers_r, answers_w = os.pipe()
    # Ctrl-C held back from the fork until the child ignores it (`enter_child`): sent
    # to both at once, it could reach the child first and end it
    held = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pid = os.fork()
    except OSError:
        signal.pthread_sigmask(signal.SIG_SETMASK, held)
        raise
    if pid == 0:
        os.close(jobs_w)
        os.close(answers_r)
        child(jobs_r, answers_w)
    signal.pthread_sigmask(signal.SIG_SETMASK, held)
    os.close(jobs_r)
    os.close(answers_w)
    parent_only(jobs_w, answers_r)
    return Helper(pid, jobs_w, answers_r)
