"""The read model's tables keyed by several columns are SQLite tables WITHOUT ROWID.

Such a table (a parent's id and the child's own: an order's lines, history, payments,
system records, a payout's lines, ...) is stored in one B-tree ordered by its key. With
a rowid, SQLite keeps a second one, an index of the key (`sqlite_autoindex_*`), which
every insert writes too. A child is read by its key (`WHERE parent IN (...) ORDER BY`
the key, batch_reads.py) or through an index of its own, always in an order asked for,
never in the order its rows were written. PostgreSQL ignores the option, and the
tables keyed by one column keep their rowid (an order's indexes would hold its id
instead). `run --out`'s writer, full scale, steady-day (callgrind): SQLite's steps
987M instructions then 967M; inserting the file's rows but the timeline's, alone,
and building its indexes, 926M then 844M; the file 10.5 MB then 9.4 MB.
"""

from __future__ import annotations

from sqlalchemy import MetaData


def without_rowid(metadata: MetaData) -> None:
    """Make every table of `metadata` keyed by several columns WITHOUT ROWID on SQLite
    (`sqlite_with_rowid=False`), for `create_all` and sqlite_schema_gen alike. Called
    by each module that adds tables, once they are defined; more calls change nothing."""
    for table in metadata.tables.values():
        if len(table.primary_key.columns) > 1:
            table.dialect_options["sqlite"]["with_rowid"] = False
