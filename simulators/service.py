"""A service station: `servers` parallel servers in front of a FIFO queue (M/G/c).

Backends with a throughput limit (the ERP's worker pool, a DC's pickers, a store's
staff) are stations. Jobs are callbacks run when service completes, scheduled on the
SimPy environment as plain timeouts rather than one process per job: at Black Friday
volume the twin serves millions of jobs, and a process per job would cost three events
where one will do.

A job withdrawn from the queue (`cancel`) stays in it, marked, and is dropped unserved
when its turn comes: taking it out at once scanned the queue, which at a peak DC is
thousands of picks long, on every cancellation. Served or dropped, the jobs start in
the same order, each drawing its service time when it starts, as before.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable

import simpy

from simulators.later import Later

Job = Callable[[], None]


class ServiceStation:
    __slots__ = (
        "_env",
        "_queue",
        "_service_time",
        "_waiting",
        "_withdrawn",
        "_withdrawn_count",
        "busy",
        "queue_limit",
        "served",
        "servers",
        "slow_factor",
    )

    def __init__(
        self,
        env: simpy.Environment,
        servers: int,
        service_time: Callable[[], float],
        queue_limit: int = 1_000_000_000,
    ) -> None:
        self._env = env
        self.servers = servers
        self._service_time = service_time
        self.queue_limit = queue_limit
        #: the jobs in line, oldest first, withdrawn ones among them until their turn
        self._queue: deque[Job] = deque()
        #: job -> how many times it waits in line, and how many withdrawn times it is
        #: still there (one each, but for a job submitted twice)
        self._waiting: dict[Job, int] = {}
        self._withdrawn: dict[Job, int] = {}
        self._withdrawn_count = 0
        self.busy = 0
        self.served = 0
        self.slow_factor = 1.0

    @property
    def queue_length(self) -> int:
        """The jobs waiting (withdrawn ones not counted)."""
        return len(self._queue) - self._withdrawn_count

    def submit(self, job: Job) -> bool:
        """Queue a job; False when the queue is full and the caller should refuse it."""
        if self.busy < self.servers:
            self._start(job)
            return True
        if len(self._queue) - self._withdrawn_count >= self.queue_limit:
            return False
        self._queue.append(job)
        waiting = self._waiting
        waiting[job] = waiting.get(job, 0) + 1
        return True

    def cancel(self, job: Job) -> bool:
        """Withdraw a job that has not started; False if it already started."""
        waiting = self._waiting
        times = waiting.get(job, 0)
        if not times:
            return False
        if times == 1:
            del waiting[job]
        else:
            waiting[job] = times - 1
        self._withdrawn[job] = self._withdrawn.get(job, 0) + 1
        self._withdrawn_count += 1
        return True

    def _next_waiting(self) -> Job | None:
        """The first job in line that was not withdrawn, taken out of it (None: none),
        the withdrawn ones before it dropped."""
        queue, waiting, withdrawn = self._queue, self._waiting, self._withdrawn
        while queue:
            job = queue.popleft()
            if withdrawn:
                times = withdrawn.get(job, 0)
                if times:  # withdrawn: the first copies in line are the ones withdrawn
                    if times == 1:
                        del withdrawn[job]
                    else:
                        withdrawn[job] = times - 1
                    self._withdrawn_count -= 1
                    continue
            times = waiting[job]
            if times == 1:
                del waiting[job]
            else:
                waiting[job] = times - 1
            return job
        return None

    def _start(self, job: Job) -> None:
        self.busy += 1
        Later(self._env, self._service_time() * self.slow_factor, self._finish, job)

    def _finish(self, event: Later) -> None:
        # typed: compiled, reading the job is a native field read
        self.busy -= 1
        self.served += 1
        if self._queue:
            job = self._next_waiting()
            if job is not None:
                self._start(job)
        event.value()
