"""The run's digest: the network fills the recorder's arrays itself (a call less per
delivery); the digest must be the one a recorder called per delivery gives, block for
block, and the hash of the deliveries in blocks of 4,096."""

from __future__ import annotations

import hashlib
from array import array
from typing import Any

import simpy

from scenarios.twin.digest import DigestRecorder
from simulators.network import LinkProfile, Network
from simulators.rng import Streams

PROFILE = LinkProfile(0.05, 0.2, 0.01, 0.02, 2.0, 0.01, 60.0)
MESSAGES = 9_000  # two full blocks of deliveries and part of a third (with duplicates)


def _deliver_all(recorder: Any) -> list[tuple[float, int, int]]:
    env = simpy.Environment()
    network = Network(env, Streams(5), PROFILE, recorder)
    links = [network.link(f"s{n}", "hub") for n in range(3)]
    delivered: list[tuple[float, int, int]] = []

    def deliver(message_id: int, link: Any) -> None:
        delivered.append((env.now, link.number, message_id))

    for n in range(MESSAGES):
        link = links[n % 3]
        if n % 2:
            network.send_on(link, "kind", link, deliver)
        else:
            network.call_leg_on(link, "call", link, deliver)
    env.run()
    return delivered


def test_a_network_filling_the_recorder_gives_the_digest_of_its_deliveries() -> None:
    filled = DigestRecorder()
    delivered = _deliver_all(filled)
    assert len(delivered) > 2 * 4096
    expected = hashlib.blake2b(digest_size=16)
    for start in range(0, len(delivered), 4096):
        block = delivered[start : start + 4096]
        expected.update(array("d", [at for at, _, _ in block]).tobytes())
        expected.update(array("q", [n for _, *pair in block for n in pair]).tobytes())
    filled.add("end state")
    expected.update(b"end state")
    assert filled.hexdigest() == expected.hexdigest()
    assert filled.deliveries == len(delivered)


def test_a_recorder_called_per_delivery_gives_the_same_digest() -> None:
    filled, called = DigestRecorder(), DigestRecorder()
    _deliver_all(filled)
    # a plain callable: the network calls it (as a network overriding `_arrive` does)
    _deliver_all(lambda at, link, message_id: called(at, link, message_id))
    assert filled.hexdigest() == called.hexdigest()
    assert filled.deliveries == called.deliveries
