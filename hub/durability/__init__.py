"""What the hub must not forget, and how it comes back after a crash.

The hub keeps its durable memory as a journal of its inputs: every message it accepted,
every answer to a call it made, every timer that woke it, every operator action, each
committed to a `DurableStore` (hub/ports.py) before anything it decided while handling
it leaves. Its aggregates (orders, returns, stock, ledgers, lanes) are a function of
that journal, so a restarted hub rebuilds them exactly by replaying it, sends again what
its outbox decided but never heard back about, and re-arms its timers.
"""
