"""The read model's `metadata` with every table in it: tables.py's, and those
company_tables.py and payout_tables.py add to it. The package imports nothing on its own
(so a process writing a finished run's file never imports SQLAlchemy), so a reader of
`metadata` that does not go through `ReadModel` (`serve --db`'s check of a finished
run's file) imports it from here to see every table.
"""

from __future__ import annotations

from hub.adapters.read_model import company_tables, payout_tables  # noqa: F401
from hub.adapters.read_model.tables import metadata as metadata
