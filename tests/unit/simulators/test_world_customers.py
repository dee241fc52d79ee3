"""The world's customers kept packed (`CustomerBook`): the same customers, drawn from
the same random numbers, as the list of objects it replaced."""

from __future__ import annotations

import random

import pytest

from simulators.world import Customer, CustomerBook, _NamePool

POOL = _NamePool(["red"], ["Word"], ["Ada", "Alan", "Grace"], ["Lovelace", "Turing"])
REGIONS = ("north", "south")


def test_choice_over_the_pools_indices_draws_what_choice_over_the_names_drew() -> None:
    by_name, by_index = random.Random(7), random.Random(7)
    firsts = range(len(POOL.first_names))
    for _ in range(500):
        assert by_name.choice(POOL.first_names) == POOL.first_names[by_index.choice(firsts)]


def test_a_customer_reads_back_as_the_object_it_was() -> None:
    book = CustomerBook(POOL, REGIONS)
    book.add("C-000001", 2, 1, 1)
    book.add("C-000002", 0, 0, 0)
    assert len(book) == 2
    assert book[0] == Customer("C-000001", "Grace Turing", "south")
    assert book[-1] == Customer("C-000002", "Ada Lovelace", "north")
    assert book[1:] == [Customer("C-000002", "Ada Lovelace", "north")]
    assert [c.customer_id for c in book] == ["C-000001", "C-000002"]
    assert book[0].email == "grace.turing.c-000001@example.com"
    with pytest.raises(IndexError):
        book[2]


def test_an_id_read_back_is_given_the_books_own_string() -> None:
    """An order read back from the run's file names its customer with a new string: the
    book gives back its own, so a day's orders share one per customer again."""
    book = CustomerBook(POOL, REGIONS)
    book.add("C-000001", 2, 1, 1)
    book.add("C-000002", 0, 0, 0)
    own = book[1].customer_id
    assert book.same_id("".join(["C-", "000002"])) is own
    assert book.same_id("C-000009") == "C-000009"
    assert book.same_id("CO-0001") == "CO-0001" and book.same_id("C-x") == "C-x"
