"""A service station's queue with jobs withdrawn (`ServiceStation.cancel`): a withdrawn
job stays in line, marked, and is dropped when its turn comes. The jobs that are served
must start in the same order, drawing their service times in the same order, as when a
withdrawn job was taken out of the line at once."""

from __future__ import annotations

from collections.abc import Callable

import simpy

from simulators.service import ServiceStation


def _station(
    servers: int = 1, queue_limit: int = 1_000_000_000
) -> tuple[simpy.Environment, ServiceStation, list[str], list[int]]:
    env = simpy.Environment()
    draws: list[int] = []

    def service_time() -> float:
        draws.append(len(draws))
        return 1.0

    return env, ServiceStation(env, servers, service_time, queue_limit), [], draws


def _job(done: list[str], name: str) -> Callable[[], None]:
    def job() -> None:
        done.append(name)

    return job


def test_a_withdrawn_job_is_never_served_and_the_rest_keep_their_order() -> None:
    env, station, done, draws = _station()
    jobs = {name: _job(done, name) for name in "abcde"}
    for job in jobs.values():
        assert station.submit(job)
    assert station.queue_length == 4  # "a" started at once
    assert station.cancel(jobs["c"])
    assert station.cancel(jobs["e"])
    assert station.queue_length == 2
    env.run()
    assert done == ["a", "b", "d"]
    assert draws == [0, 1, 2]  # one service time a job served, none for those withdrawn
    assert station.queue_length == 0
    assert station.served == 3


def test_a_job_already_started_or_withdrawn_cannot_be_withdrawn() -> None:
    env, station, done, _ = _station()
    first, second = _job(done, "first"), _job(done, "second")
    station.submit(first)
    station.submit(second)
    assert not station.cancel(first)  # in service
    assert station.cancel(second)
    assert not station.cancel(second)
    env.run()
    assert done == ["first"]


def test_the_queue_limit_counts_only_the_jobs_still_waiting() -> None:
    env, station, done, _ = _station(queue_limit=2)
    jobs = [_job(done, str(i)) for i in range(5)]
    assert station.submit(jobs[0])  # in service
    assert station.submit(jobs[1])
    assert station.submit(jobs[2])
    assert not station.submit(jobs[3])  # full
    assert station.cancel(jobs[1])
    assert station.submit(jobs[3])
    env.run()
    assert done == ["0", "2", "3"]


def test_a_job_submitted_twice_and_withdrawn_once_is_served_once() -> None:
    env, station, done, _ = _station()
    busy, twice = _job(done, "busy"), _job(done, "twice")
    station.submit(busy)
    station.submit(twice)
    station.submit(twice)
    assert station.queue_length == 2
    assert station.cancel(twice)
    assert station.queue_length == 1
    env.run()
    assert done == ["busy", "twice"]


def test_a_line_of_only_withdrawn_jobs_leaves_the_servers_free() -> None:
    env, station, done, _ = _station()
    jobs = [_job(done, str(i)) for i in range(3)]
    for job in jobs:
        station.submit(job)
    station.cancel(jobs[1])
    station.cancel(jobs[2])
    env.run()
    assert station.busy == 0
    late = _job(done, "late")
    assert station.submit(late)  # started at once: nothing is waiting
    assert station.queue_length == 0
    env.run()
    assert done == ["0", "late"]
