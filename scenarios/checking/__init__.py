"""Judging a run from ground truth: what every system actually holds (`truth`), the
named invariants, the SLA metrics, the verdict, and the operations view that shows the
same judgement while a live run goes on. The hub's own beliefs are never trusted."""
