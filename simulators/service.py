"""A service station: `servers` parallel servers in front of a FIFO queue (M/G/c).

Backends with a throughput limit (the ERP's worker pool, a DC's pickers, a store's
staff) are stations. Jobs are callbacks run when service completes, scheduled on the
SimPy environment as plain timeouts rather than one process per job: at Black Friday
volume the twin serves millions of jobs, and a process per job would cost three events
where one will do.
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
        self._queue: deque[Job] = deque()
        self.busy = 0
        self.served = 0
        self.slow_factor = 1.0

    @property
    def queue_length(self) -> int:
        return len(self._queue)

    def submit(self, job: Job) -> bool:
        """Queue a job; False when the queue is full and the caller should refuse it."""
        if self.busy < self.servers:
            self._start(job)
            return True
        if len(self._queue) >= self.queue_limit:
            return False
        self._queue.append(job)
        return True

    def cancel(self, job: Job) -> bool:
        """Withdraw a job that has not started; False if it already started."""
        try:
            self._queue.remove(job)
        except ValueError:
            return False
        return True

    def _start(self, job: Job) -> None:
        self.busy += 1
        Later(self._env, self._service_time() * self.slow_factor, self._finish, job)

    def _finish(self, event: Later) -> None:
        # typed: compiled, reading the job is a native field read
        self.busy -= 1
        self.served += 1
        if self._queue:
            self._start(self._queue.popleft())
        event.value()
