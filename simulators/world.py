"""The retailer's world: a catalogue, stores and DCs by region, customers, and the
stock everyone starts the day with.

SKU popularity follows a Zipf law, as retail sales do (a few hot SKUs sell most units;
the long tail sells a few each), so hot SKUs contend for stock across channels. Names
come from faker, seeded from the scenario seed, so two runs build the same world.
Starting stock is set from expected demand: DCs hold `dc_cover_days` of expected
channel demand for each SKU, stores a day and a half of their own expected sales, so
peaks and flash sales run some SKUs out and the integration's freshness matters.
"""

from __future__ import annotations

import itertools
import random
import re
from array import array
from bisect import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import overload

from faker import Faker

CATEGORIES = (
    "Apparel",
    "Footwear",
    "Home",
    "Kitchen",
    "Toys",
    "Beauty",
    "Electronics",
    "Garden",
    "Sports",
    "Books",
)
TAX_RATES_BP = (2000, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 500, 0)


@dataclass(frozen=True, slots=True)
class Sku:
    sku_id: str
    name: str
    category: str
    price_cents: int
    cost_cents: int
    tax_rate_bp: int
    rank: int

    def tax_cents(self, quantity: int, unit_price_cents: int | None = None) -> int:
        """Tax on `quantity` units at `unit_price_cents` (the list price if not given)."""
        price = self.price_cents if unit_price_cents is None else unit_price_cents
        return price * quantity * self.tax_rate_bp // 10000


@dataclass(frozen=True, slots=True)
class Location:
    location_id: str
    kind: str  # "dc" | "store" | "partner" (a drop-ship partner's shelves)
    region: str
    name: str


#: what an email address's local part is not made of (runs of it become one dot)
_NOT_IN_AN_ADDRESS = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class Customer:
    customer_id: str
    #: a synthetic first and last name from faker's pools, never a real person's
    name: str
    region: str

    @property
    def email(self) -> str:
        """A contact address under example.com (reserved for examples, RFC 2606), made
        from the name and the id so it is unique and never anyone's real address;
        derived, not drawn, so adding it changed no run's random streams."""
        local = _NOT_IN_AN_ADDRESS.sub(".", self.name.lower()).strip(".")
        return f"{local or 'customer'}.{self.customer_id.lower()}@example.com"


class CustomerBook(Sequence[Customer]):
    """The world's customers, each kept as its id and three small numbers (its first
    and last name in the name pools, its region) and made a `Customer` when read.

    Why: a peak-day world has 100,000 customers, held all day; as objects, with a name
    string each, they were some 17 MiB of a full-scale black-friday. The ids stay
    strings, since every order a customer places holds the same one."""

    __slots__ = ("_firsts", "_ids", "_lasts", "_pool", "_region_of", "_regions")

    def __init__(self, pool: _NamePool, regions: Sequence[str]) -> None:
        self._pool = pool
        self._regions = tuple(regions)
        self._ids: list[str] = []
        self._firsts = array("I")
        self._lasts = array("I")
        self._region_of = array("I")

    def add(self, customer_id: str, first: int, last: int, region: int) -> None:
        """A customer named first and last names number `first` and `last` of the
        pools, in region number `region`."""
        self._ids.append(customer_id)
        self._firsts.append(first)
        self._lasts.append(last)
        self._region_of.append(region)

    def same_id(self, customer_id: str) -> str:
        """The book's own string for `customer_id` (an order read back from the run's
        file brings a new one, and a day's orders name a customer each), or
        `customer_id` itself when it is none of the book's (ids are C-NNNNNN, their
        number in the book from 1, as the world makes them)."""
        number = customer_id[2:]
        if customer_id.startswith("C-") and number.isdigit():
            i = int(number) - 1
            if 0 <= i < len(self._ids) and self._ids[i] == customer_id:
                return self._ids[i]
        return customer_id

    def id_and_region(self, i: int) -> tuple[str, str]:
        """Customer number `i`'s id and region (0 <= i < len): what an arriving order
        needs of its customer, without formatting a name and making a `Customer` at
        every order for two of its fields."""
        return self._ids[i], self._regions[self._region_of[i]]

    def _customer(self, i: int) -> Customer:
        pool = self._pool
        name = f"{pool.first_names[self._firsts[i]]} {pool.last_names[self._lasts[i]]}"
        return Customer(self._ids[i], name, self._regions[self._region_of[i]])

    def __len__(self) -> int:
        return len(self._ids)

    @overload
    def __getitem__(self, index: int) -> Customer: ...

    @overload
    def __getitem__(self, index: slice) -> list[Customer]: ...

    def __getitem__(self, index: int | slice) -> Customer | list[Customer]:
        if isinstance(index, slice):
            return [self._customer(i) for i in range(len(self._ids))[index]]
        return self._customer(range(len(self._ids))[index])

    def __iter__(self) -> Iterator[Customer]:
        for i in range(len(self._ids)):
            yield self._customer(i)


@dataclass(slots=True)
class Popularity:
    """Cumulative weights over a list of SKU indices, for fast weighted draws."""

    indices: list[int]
    cumulative: list[float]

    def draw(self, rng: random.Random) -> int:
        return self.indices[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


@dataclass(slots=True)
class World:
    skus: list[Sku]
    dcs: list[Location]
    stores: list[Location]
    customers: CustomerBook
    popularity: Popularity
    #: store id -> popularity over the SKUs it ranges
    store_ranges: dict[str, Popularity]
    dc_stock: dict[tuple[str, str], int] = field(default_factory=dict)
    store_stock: dict[tuple[str, str], int] = field(default_factory=dict)
    #: reorder targets the replenishment processes top stock back up to
    dc_targets: dict[tuple[str, str], int] = field(default_factory=dict)
    store_targets: dict[tuple[str, str], int] = field(default_factory=dict)
    #: the regions in the order the scenario lists them: neighbours on a ring
    regions: tuple[str, ...] = ()
    #: SKU -> the drop-ship partner's location that alone stocks and ships it (the
    #: partners' locations are at the end of `dcs`, of kind "partner"); empty: none
    partner_skus: dict[str, str] = field(default_factory=dict)

    @property
    def warehouses(self) -> list[Location]:
        """The retailer's own DCs: `dcs` without the drop-ship partners."""
        return [dc for dc in self.dcs if dc.kind == "dc"]

    def hops(self, a: str, b: str) -> int:
        """How far region `b` is from region `a` (`region_hops`)."""
        return region_hops(self.regions, a, b)

    def region_of(self) -> dict[str, str]:
        return {loc.location_id: loc.region for loc in [*self.dcs, *self.stores]}

    def stores_in(self, region: str) -> list[Location]:
        return [store for store in self.stores if store.region == region] or self.stores


#: the farthest two regions are apart: same region 0, a neighbour 1, any other 2
FAR = 2


def region_hops(regions: tuple[str, ...], a: str, b: str) -> int:
    """The distance between two regions: 0 the same, 1 neighbours, 2 far.

    The scenario's regions lie on a ring in the order it lists them (the default's
    north, south, east, west: north neighbours south and west, and is far from east),
    the coarse zones a carrier's rate card knows, not a map. Derived from the list, not
    drawn, so it moves no random stream. A region the list does not hold (or an
    unknown one, "") is far from everything but itself."""
    if a == b:
        return 0
    if a not in regions or b not in regions:
        return FAR
    apart = abs(regions.index(a) - regions.index(b))
    return min(FAR, apart, len(regions) - apart)


def zipf_weights(n: int, s: float) -> list[float]:
    return [1.0 / (rank**s) for rank in range(1, n + 1)]


#: how many distinct colours, words and first and last names to draw from faker
NAME_POOL = 200


@dataclass(frozen=True, slots=True)
class _NamePool:
    """Words drawn from faker once (it is slow per call, ~0.2 ms a name; a peak-day
    world has 100k customers and 5k SKUs) and combined with the world's own stream."""

    colours: list[str]
    words: list[str]
    first_names: list[str]
    last_names: list[str]

    @classmethod
    def draw(cls, fake: Faker) -> _NamePool:
        return cls(
            [fake.color_name() for _ in range(NAME_POOL)],
            [fake.word().title() for _ in range(NAME_POOL)],
            [fake.first_name() for _ in range(NAME_POOL)],
            [fake.last_name() for _ in range(NAME_POOL)],
        )


def _catalogue(rng: random.Random, skus: int, names: _NamePool) -> list[Sku]:
    catalogue: list[Sku] = []
    for rank in range(1, skus + 1):
        category = CATEGORIES[rng.randrange(len(CATEGORIES))]
        price = max(199, int(rng.lognormvariate(8.0, 0.8)) // 100 * 100 + 99)
        catalogue.append(
            Sku(
                f"SKU-{rank:05d}",
                f"{rng.choice(names.colours)} {rng.choice(names.words)} {category[:-1]}",
                category,
                price,
                int(price * rng.uniform(0.35, 0.65)),
                TAX_RATES_BP[rng.randrange(len(TAX_RATES_BP))],
                rank,
            )
        )
    return catalogue


def _stock_dcs(world: World, shares: list[float], per_dc_units: float, cover_days: float) -> None:
    """Each DC holds `cover_days` of its share of channel demand, at least 3 of a SKU."""
    for dc in world.dcs:
        for index, sku in enumerate(world.skus):
            target = max(3, round(per_dc_units * shares[index] * cover_days))
            world.dc_stock[(sku.sku_id, dc.location_id)] = target
            world.dc_targets[(sku.sku_id, dc.location_id)] = target


def _stock_stores(
    world: World,
    rng: random.Random,
    weights: list[float],
    store_range: float,
    per_store_units: float,
    store_stock_mean: float,
) -> None:
    """Each store ranges the core half of its range (the best sellers) and a random
    tail, stocked to demand with a minimum presentation stock."""
    skus = len(world.skus)
    ranged = max(1, round(skus * store_range))
    core = ranged // 2
    for store in world.stores:
        tail = rng.sample(range(core, skus), min(ranged - core, skus - core))
        indices = sorted([*range(core), *tail])
        range_weights = [weights[i] for i in indices]
        range_total = sum(range_weights)
        world.store_ranges[store.location_id] = Popularity(
            indices, list(itertools.accumulate(range_weights))
        )
        for i, w in zip(indices, range_weights, strict=True):
            expected = per_store_units * w / range_total
            target = max(2, round(max(expected * 1.5, store_stock_mean * w / range_weights[0])))
            key = (world.skus[i].sku_id, store.location_id)
            world.store_stock[key] = target
            world.store_targets[key] = target


def build_world(
    rng: random.Random,
    seed: int,
    *,
    skus: int,
    stores: int,
    dcs: int,
    customers: int,
    regions: tuple[str, ...],
    store_range: float,
    zipf_s: float,
    daily_channel_units: float,
    daily_store_units: float,
    dc_cover_days: float,
    store_stock_mean: float,
) -> World:
    fake = Faker()
    fake.seed_instance(seed)
    names = _NamePool.draw(fake)
    catalogue = _catalogue(rng, skus, names)
    weights = zipf_weights(skus, zipf_s)
    total_weight = sum(weights)
    shares = [w / total_weight for w in weights]
    popularity = Popularity(list(range(skus)), list(itertools.accumulate(weights)))

    dc_locations = [
        Location(
            f"DC-{regions[i % len(regions)].upper()}{'' if i < len(regions) else i}",
            "dc",
            regions[i % len(regions)],
            f"{fake.city()} Distribution Centre",
        )
        for i in range(dcs)
    ]
    store_locations = [
        Location(f"ST-{i + 1:04d}", "store", regions[i % len(regions)], f"{fake.city()} Store")
        for i in range(stores)
    ]
    people = CustomerBook(names, regions)
    # choice over the pools' indices draws exactly what choice over the names drew
    firsts, lasts = range(len(names.first_names)), range(len(names.last_names))
    for i in range(customers):
        first, last = rng.choice(firsts), rng.choice(lasts)
        people.add(f"C-{i + 1:06d}", first, last, rng.randrange(len(regions)))
    world = World(catalogue, dc_locations, store_locations, people, popularity, {}, regions=regions)
    _stock_dcs(world, shares, daily_channel_units / max(1, dcs), dc_cover_days)
    per_store_units = daily_store_units / max(1, stores)
    _stock_stores(world, rng, weights, store_range, per_store_units, store_stock_mean)
    return world
