"""report.html for `run --out DIR`: drawn in this process (`InlineDrawer`, the
default), or in a process of its own forked before the run (`ForkedDrawer`, asked for
with `RETAILTWIN_PAGE_FORKED=1`, to compare).

The charts (six figures written as SVG by `scenarios.reports.svg`) need nothing of the
run but the verdict and its series (`RunSeries`, plain lists). In this process the page
is drawn once the verdict is out, while the read model's forked writer is still
projecting the run (`run_files.write_run_folder` draws it before it waits for the
writer), so where a core is free it is off the wait: this process is done before the
writer either way (`benchmarks.out_parts`). Drawing it takes some 40 ms of CPU time on
steady-day, where a drawer forked before the run cost more in all: its own process,
the series and the verdict pickled to it, and the pages the run copies on write
while the drawer shares them (measured in docs/reports.md, "make bench: what --out
costs").

A forked drawer imports the page's modules on the machine's other core while the day
runs, then waits for the series. The charts need the series alone, so it is sent as
soon as the run's truth is gathered (`run_files.charts_first`) and the charts are
drawn while this process judges the run; the verdict follows on the same pipe, for
the page's head and verdict table, and the drawer sends the page's HTML back. The
page comes back as text and this process writes it into the staging folder like
every other file, so the folder's life (`out_folder`: written aside, sealed, renamed
into place) is unchanged, and the page is the one drawn in process, byte for byte.

The drawing process never outlives its purpose. It reads its job from a pipe only this
process can write, so when this process dies, SIGKILL included, the pipe closes and
the drawer leaves at once; were it drawing, the answer it sends has no reader and it
leaves then. It ignores Ctrl-C (the terminal sends it to both): this process, which
handles the interrupt, kills it. Where there is no second core, or no `fork`, the page
is drawn in this process even when a forked drawer is asked for. These rules are
shared with the read model's writer (`read_model_process`) and kept in `forked`.
"""

from __future__ import annotations

import os
import pickle
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from functools import partial
from queue import SimpleQueue
from typing import Any, BinaryIO, NoReturn, Protocol

from scenarios.checking.verdict import Verdict
from scenarios.reports import forked
from scenarios.reports.series import RunSeries

#: set to anything to draw the page in a forked process (`ForkedDrawer`), where there is
#: a second core and `fork` (for comparing: `run --out` draws it in process)
FORKED_ENV = "RETAILTWIN_PAGE_FORKED"


class PageDrawingError(RuntimeError):
    """The drawing process failed or died: report.html was not made."""


class PageDrawer(Protocol):
    """Draws report.html from a judged run: `send_series` the run's series once (the
    charts may be drawn from then on), `send_verdict` its verdict once, then `page`
    gives the HTML (waiting for it if need be)."""

    #: whether the series was sent
    series_sent: bool

    def send_series(self, series: RunSeries) -> None: ...

    def send_verdict(self, verdict: Verdict) -> None: ...

    def page(self) -> str: ...


def _sections(series: RunSeries) -> list[str]:
    from scenarios.reports.run_page import chart_sections  # the charts only when drawing

    return chart_sections(series)


def _page(verdict: Verdict, sections: list[str]) -> str:
    from scenarios.reports.run_page import run_page_around

    return run_page_around(verdict, sections)


class InlineDrawer:
    """The page drawn in this process when asked for (`page`), the default."""

    def __init__(self) -> None:
        self.series_sent = False
        self._series: RunSeries | None = None
        self._verdict: Verdict | None = None

    def send_series(self, series: RunSeries) -> None:
        self._series = series
        self.series_sent = True

    def send_verdict(self, verdict: Verdict) -> None:
        self._verdict = verdict

    def page(self) -> str:
        if self._series is None or self._verdict is None:
            raise PageDrawingError("no run was sent to draw")
        return _page(self._verdict, _sections(self._series))


class ForkedDrawer:
    """The page drawn by a child process forked ahead of time (`drawing_process`)."""

    def __init__(self, helper: forked.Helper) -> None:
        self.pid = helper.pid
        self.series_sent = False
        self._helper = helper
        #: the pickled jobs for the sender to write, in order; None closes the pipe
        self._jobs: SimpleQueue[bytes | None] = SimpleQueue()
        self._sender: threading.Thread | None = None
        self._verdict_sent = False

    def send_series(self, series: RunSeries) -> None:
        """Send the series without waiting (a thread writes it): the pipe holds 64 KiB
        and the jobs are some hundreds, read only once the drawer has imported
        the page's modules."""
        jobs = self._helper.take_jobs()
        self._sender = threading.Thread(target=self._write, args=(jobs, self._jobs), daemon=True)
        self._sender.start()
        self._jobs.put(pickle.dumps(series, protocol=pickle.HIGHEST_PROTOCOL))
        self.series_sent = True

    def send_verdict(self, verdict: Verdict) -> None:
        """Send the verdict after the series, without waiting; the job pipe is closed
        behind it."""
        if not self.series_sent:
            raise PageDrawingError("the series goes first: the charts are drawn from it")
        self._jobs.put(pickle.dumps(verdict, protocol=pickle.HIGHEST_PROTOCOL))
        self._jobs.put(None)
        self._verdict_sent = True

    @staticmethod
    def _write(jobs: int, queue: SimpleQueue[bytes | None]) -> None:
        try:
            with os.fdopen(jobs, "wb") as pipe:
                while (job := queue.get()) is not None:
                    pipe.write(job)
                    pipe.flush()
        except BrokenPipeError:
            pass  # the drawer died: `page` says so

    def page(self) -> str:
        """The HTML, once the drawer has sent it; PageDrawingError if it failed."""
        if self._sender is None or not self._verdict_sent:
            raise PageDrawingError("no run was sent to draw")
        answer = forked.read_all(self._helper.take_answers())
        self._sender.join()
        status = self._helper.reap()
        if not answer:
            raise PageDrawingError(
                f"the process drawing report.html (pid {self.pid}) ended without it "
                f"({forked.ended(status)})"
            )
        drawn, text = pickle.loads(answer)
        if not drawn:
            raise PageDrawingError(f"drawing report.html failed in its process:\n{text}")
        page: str = text
        return page

    def close(self) -> None:
        """Kill the drawer unless it has answered, reap it, and close the pipes (the
        sender's too, when the verdict never came)."""
        self._helper.close()
        if self._sender is not None and not self._verdict_sent:
            self._jobs.put(None)
            self._sender.join()


@contextmanager
def drawing_process(fork: bool | None = None) -> Iterator[PageDrawer]:
    """A page drawer for the block: one that draws in process, or, when `fork` is true
    (by default: when `FORKED_ENV` is set), a forked process that starts importing the
    page's modules at once, where there is a second core and `fork`. Leaving the block
    ends that process (killed if it has not answered)."""
    wanted = bool(os.environ.get(FORKED_ENV)) if fork is None else fork
    if not (wanted and forked.can_fork()):
        yield InlineDrawer()
        return
    drawer = ForkedDrawer(forked.fork_helper(_drawer_main))
    try:
        yield drawer
    finally:
        drawer.close()


def _drawer_main(jobs: int, answers: int) -> NoReturn:
    """The drawing process: import the charts, wait for one job, answer, leave
    (`forked.serve`)."""
    forked.serve(jobs, answers, partial(_draw_job, jobs))


def _draw_job(jobs: int) -> str:
    # the page's modules, while the day runs; if it fails, drawing fails below and says so
    with suppress(Exception):
        import scenarios.reports.run_page  # noqa: F401
    with os.fdopen(jobs, "rb") as pipe:
        series: RunSeries = _next_job(pipe)
        sections = _sections(series)  # while the parent judges the run
        verdict: Verdict = _next_job(pipe)
    return _page(verdict, sections)


def _next_job(pipe: BinaryIO) -> Any:
    """The next pickled job on the pipe; the drawer leaves at once when the parent
    closed it without one (it left, or died)."""
    try:
        return pickle.load(pipe)
    except EOFError:
        forked.leave(0)
