"""What a read model written by an earlier retailtwin lacks, and how each side copes.

A database keeps the tables of the version that wrote it. Later versions only add:
new tables (an order's transactions, its fulfillments) and new columns with a default
(a system record's created and updated times). So an older database is never wrong,
only short, and both sides deal with that without a migration tool:

- a writer (a live twin, `run --out` over an existing file) adds what is missing when
  it creates the schema: `create_all` the tables, `ALTER TABLE ... ADD COLUMN` the
  columns, each with its default;
- a reader (`serve --db` over a finished run's file, which it must not change) probes
  once at start and reads around the gaps: a missing table reads as no rows (empty
  lists in the API), a missing column as its record's default (null in the API).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Table, TableClause, column, inspect, text
from sqlalchemy import table as table_clause
from sqlalchemy.schema import CreateColumn

from hub.adapters.read_model import tables


@dataclass(frozen=True, slots=True)
class SchemaGaps:
    """Tables, and columns of present tables, that this version has and the database
    does not."""

    tables: frozenset[str] = frozenset()
    columns: frozenset[tuple[str, str]] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.tables or self.columns)

    def narrowed(self, table: Table) -> Table | TableClause | None:
        """`table` as the database has it: None when it is missing, a table of only its
        present columns when some are missing, else `table` itself."""
        if table.name in self.tables:
            return None
        missing = {name for owner, name in self.columns if owner == table.name}
        if not missing:
            return table
        kept = [column(c.name, c.type) for c in table.c if c.name not in missing]
        return table_clause(table.name, *kept)


NO_GAPS = SchemaGaps()


def find_gaps(conn: Connection) -> SchemaGaps:
    """Compare the database behind `conn` with this version's tables."""
    inspector = inspect(conn)
    present = set(inspector.get_table_names())
    missing_tables = set()
    missing_columns = set()
    for table in tables.metadata.sorted_tables:
        if table.name not in present:
            missing_tables.add(table.name)
            continue
        have = {c["name"] for c in inspector.get_columns(table.name)}
        missing_columns |= {(table.name, c.name) for c in table.c if c.name not in have}
    return SchemaGaps(frozenset(missing_tables), frozenset(missing_columns))


def add_missing(conn: Connection) -> frozenset[str]:
    """Create the missing tables and add the missing columns (every column a later
    version adds has a server default, so existing rows get it); the names of the
    tables created, which hold no rows yet."""
    present = set(inspect(conn).get_table_names())
    # a new database (a finished run's file) has no table to check first, and the
    # tables just created have every column: nothing to compare
    tables.metadata.create_all(conn, checkfirst=bool(present))
    gaps = find_gaps(conn) if present else NO_GAPS
    preparer = conn.dialect.identifier_preparer
    for table_name, column_name in sorted(gaps.columns):
        col = tables.metadata.tables[table_name].c[column_name]
        # the column as CREATE TABLE writes it: type, default and NOT NULL
        spec = CreateColumn(col).compile(dialect=conn.dialect)
        conn.execute(text(f"ALTER TABLE {preparer.quote(table_name)} ADD COLUMN {spec}"))
    return frozenset(t.name for t in tables.metadata.sorted_tables if t.name not in present)
