"""Common random numbers: what the network does to one kind of message on one link
depends on the seed and on that stream's own history, not on what else it carried.
This is what lets two hubs (or a hub run against the wall clock) meet the same losses
and delays on what the systems send them."""

from __future__ import annotations

from typing import Any

import simpy

from simulators.network import LinkProfile, Network
from simulators.rng import Streams

#: a lossy, duplicating, reordering profile, so every kind of draw is exercised
PROFILE = LinkProfile(0.05, 0.5, 0.05, 0.05, 600.0, 0.05, 1800.0)
ORDERS = 400


def _order_arrivals(
    seed: int, hub_chatter: int, same_link_chatter: int = 0
) -> list[tuple[int, float]]:
    """When each of ORDERS `order.created` messages (numbered by send) reached the hub,
    with `hub_chatter` hub calls to the ERP and status messages interleaved, and
    `same_link_chatter` other messages from the storefront to the hub."""
    env = simpy.Environment()
    network = Network(env, Streams(seed), PROFILE)
    arrivals: list[tuple[int, float]] = []

    def arrived(_message_id: int, payload: Any) -> None:
        arrivals.append((payload, float(env.now)))

    def ignore(_message_id: int, _payload: Any) -> None:
        return None

    def traffic() -> Any:
        for number in range(ORDERS):
            network.send("storefront", "hub", "order.created", number, arrived)
            for _ in range(hub_chatter):
                network.call_leg("hub", "erp", "create_sales_order", {}, ignore)
                network.send("hub", "storefront", "status", {}, ignore)
            for _ in range(same_link_chatter):
                network.send("storefront", "hub", "return.requested", {}, ignore)
            yield env.timeout(30.0)

    env.process(traffic())
    env.run()
    return sorted(arrivals)


def test_a_links_losses_and_delays_do_not_depend_on_the_rest_of_the_traffic() -> None:
    quiet = _order_arrivals(seed=7, hub_chatter=0)
    busy = _order_arrivals(seed=7, hub_chatter=3)
    assert quiet == busy
    late = [at - 30.0 * number for number, at in quiet if at - 30.0 * number > 300]
    assert late, "the profile should have lost or held back some orders"


def _held_back(arrivals: list[tuple[int, float]]) -> set[int]:
    """The orders lost and redelivered or held back (minutes late, not milliseconds)."""
    return {number for number, at in arrivals if at - 30.0 * number > 300}


def test_other_kinds_on_the_same_link_do_not_change_which_orders_are_held_back() -> None:
    """They share the link's FIFO order (a message never overtakes an earlier one), so
    an order may arrive a latency later behind a return; but the same orders are lost."""
    quiet = _order_arrivals(seed=7, hub_chatter=0)
    busy = _order_arrivals(seed=7, hub_chatter=0, same_link_chatter=3)
    assert _held_back(quiet) == _held_back(busy) != set()


def test_another_seed_draws_other_numbers() -> None:
    assert _order_arrivals(seed=7, hub_chatter=0) != _order_arrivals(seed=8, hub_chatter=0)
