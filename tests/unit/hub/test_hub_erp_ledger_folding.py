"""The ERP ledger keeps a position at rest as its sequence alone and makes it again when
it is heard of, posted or settled: reconciliation must judge every position exactly as
it would have, for every snapshot still to be judged, however long one stays out."""

from __future__ import annotations

import random

from hub_fakes import DC, SKU, Harness, quiet_policy
from test_hub_erp_ledger import _check, _ledger, _receipt, _start

from hub.messages import StockReport
from hub.model.erp_ledger import ErpStockLedger, LedgerPosition, Posting
from hub.policy import RetryPolicy

#: what reconciliation makes of a position: not judged, or (unbooked, heard_seq)
View = str | tuple[int, int]


class _Unfolded:
    """The ledger as it was before folding: every position a `LedgerPosition`."""

    def __init__(self) -> None:
        self.at: dict[tuple[str, str], LedgerPosition] = {}
        self.stamp = 0

    def _get(self, sku: str, location: str) -> LedgerPosition:
        return self.at.setdefault((sku, location), LedgerPosition())

    def heard(self, reports: list[StockReport], moves: list[tuple[str, str, int]]) -> None:
        for report in reports:
            self._get(report.sku, report.location).hear(report.seq)
        for sku, location, quantity in moves:
            self._get(sku, location).unbooked += quantity

    def sent(self, posting: Posting) -> None:
        self.stamp += 1
        for sku, _ in posting[1]:
            position = self._get(sku, posting[0])
            position.open += 1
            position.changed = self.stamp

    def settled(self, posting: Posting, counts_movements: bool) -> None:
        self.stamp += 1
        for sku, quantity in posting[1]:
            position = self._get(sku, posting[0])
            position.open -= 1
            position.changed = self.stamp
            if counts_movements:
                position.unbooked -= quantity


def _view(held: LedgerPosition | int | None, stamp: int) -> View:
    """`ErpLedgerCheck._judge`'s reading of one position for a snapshot of `stamp`."""
    if held is None:
        return (0, 0)
    if isinstance(held, int):
        return (0, held)
    if held.open or held.changed > stamp:
        return "unsettled"
    return (held.unbooked, held.heard_seq)


def test_folded_positions_are_judged_as_before_by_every_snapshot_still_to_come() -> None:
    rng = random.Random(17)
    ledger, reference = ErpStockLedger(), _Unfolded()
    skus, plants = ["A", "B", "C", "D"], ["P1", "P2"]
    seqs = {(sku, plant): 0 for sku in skus for plant in plants}
    open_postings: list[tuple[Posting, bool]] = []
    #: snapshots out; dead-lettered ones, which a replay may answer yet
    asked: list[int] = []
    dead: list[int] = []
    late: list[StockReport] = []
    folded = made_again = 0
    for _ in range(6_000):
        at_rest = sum(isinstance(v, int) for p in plants for v in ledger.at(p).values())
        roll = rng.random()
        if roll < 0.35:  # a movement heard, its report maybe held back, or a repeat
            sku, plant = rng.choice(skus), rng.choice(plants)
            seqs[sku, plant] += 1
            report = StockReport(sku, plant, 0, seqs[sku, plant], 0.0)
            if rng.random() < 0.1:
                late.append(report)
                reports = []
            elif late and rng.random() < 0.5:
                reports = [report, late.pop(rng.randrange(len(late)))]
            else:
                reports = [report]
            if rng.random() < 0.05:
                reports.append(StockReport(sku, plant, 0, rng.randint(1, seqs[sku, plant]), 0.0))
            moves = [(sku, plant, rng.choice([-2, -1, 1]))] if rng.random() < 0.8 else []
            was_int = isinstance(ledger.at(plant).get(sku), int)  # kept as its sequence
            ledger.heard(reports, moves)
            reference.heard(reports, moves)
            made_again += was_int and not isinstance(ledger.at(plant).get(sku), int)
        elif roll < 0.6:  # a posting of what is unbooked at one plant
            plant = rng.choice(plants)
            items = [
                (sku, p.unbooked)
                for (sku, at), p in reference.at.items()
                if at == plant and p.unbooked and not p.open and rng.random() < 0.7
            ]
            posting: Posting = (plant, items)
            ledger.sent(posting)
            reference.sent(posting)
            open_postings.append((posting, rng.random() < 0.9))
        elif roll < 0.85 and open_postings:  # one settles, booked or given up on
            posting, counts = open_postings.pop(rng.randrange(len(open_postings)))
            ledger.settled(posting, True, counts)
            reference.settled(posting, counts)
        elif roll < 0.88 or not asked:  # a snapshot asked for
            asked.append(ledger.asked())
        elif roll < 0.975:  # one judged, or refused
            ledger.answered(asked.pop(rng.randrange(len(asked))))
        elif roll < 0.98:  # one dead-lettered
            dead.append(asked.pop(rng.randrange(len(asked))))
        elif dead:  # one replayed, and answered at last
            ledger.answered(dead.pop(0))
        folded += sum(isinstance(v, int) for p in plants for v in ledger.at(p).values()) > at_rest
        assert ledger.stamp == reference.stamp
        for stamp in [*asked, *dead, ledger.stamp]:
            for (sku, plant), position in reference.at.items():
                assert _view(ledger.at(plant).get(sku), stamp) == _view(position, stamp)
    assert folded > 50 and made_again > 50
    assert ledger.locations() == [p for p in dict.fromkeys(a for _, a in reference.at)]


def test_a_position_settled_while_a_snapshot_is_out_is_folded_only_once_it_is_judged() -> None:
    ledger = ErpStockLedger()
    ledger.heard([StockReport(SKU, DC, 0, 1, 0.0)], [(SKU, DC, 5)])
    ledger.sent((DC, [(SKU, 5)]))
    stamp = ledger.asked()
    ledger.settled((DC, [(SKU, 5)]), True)
    assert isinstance(ledger.at(DC)[SKU], LedgerPosition)
    ledger.answered(stamp)
    assert ledger.at(DC)[SKU] == 1
    assert ledger.find(SKU, DC) == LedgerPosition(heard_seq=1)
    ledger.heard([StockReport(SKU, DC, 0, 2, 0.0)], [])  # the next, no movement: at rest
    assert ledger.at(DC)[SKU] == 2
    ledger.heard([StockReport(SKU, DC, 0, 4, 0.0)], [])  # a gap: busy again
    assert ledger.find(SKU, DC) == LedgerPosition(heard_seq=2, ahead={4})


def test_a_dead_lettered_snapshot_replayed_late_still_sees_the_posting_that_crossed_it() -> None:
    """The snapshot asked for before the booking dies, and answers once replayed: a
    position folded in between would be judged, and the booking called drift."""
    h = Harness(quiet_policy(erp_buffer=False, retry=RetryPolicy(max_attempts=1)))
    h.deliver("wms", _receipt("R1", 5, 15, 1))
    _start(h)
    h.answer_open("erp", "stock_snapshot", 503, {"error": "ERP unavailable"})
    h.answer_open("erp", "post_goods_movement", 201, {"DocumentNo": "MD1"})
    _start(h)
    h.answer_open("erp", "stock_snapshot", 200, _ledger(15))
    assert (_check(h).drift, _check(h).positions_judged) == (0, 1)
    assert h.hub.replay_dead_letters() == 1
    h.answer_open("erp", "stock_snapshot", 200, _ledger(10))  # taken before the booking
    assert (_check(h).drift, _check(h).positions_judged) == (0, 1)
    _start(h)
    h.answer_open("erp", "stock_snapshot", 200, _ledger(15))
    assert (_check(h).drift, _check(h).positions_judged) == (0, 2)
    assert h.hub.erp_writer.ledger.at(DC)[SKU] == 1  # every snapshot judged: folded


def test_a_position_folds_back_to_its_own_sku_when_others_were_added_before_it() -> None:
    """Made again from its place in the location's arrays, a position remembers it; a
    SKU first folded meanwhile moves it, and folding must find it again, not overwrite
    the newcomer."""
    ledger = ErpStockLedger()

    def sale(sku: str, seq: int) -> Posting:
        ledger.heard([StockReport(sku, DC, 0, seq, 0.0)], [(sku, DC, -1)])
        ledger.sent((DC, [(sku, -1)]))
        return (DC, [(sku, -1)])

    ledger.settled(sale("M", 1), True)
    ledger.settled(sale("Z", 1), True)
    late = sale("Z", 2)  # made again from the arrays' second place
    ledger.settled(sale("A", 1), True)  # folds first, ahead of both
    ledger.settled(late, True)
    assert ledger.at(DC) == {"A": 1, "M": 1, "Z": 2}
    assert [ledger.find(sku, DC) for sku in "AMZ"] == [
        LedgerPosition(heard_seq=1),
        LedgerPosition(heard_seq=1),
        LedgerPosition(heard_seq=2),
    ]
