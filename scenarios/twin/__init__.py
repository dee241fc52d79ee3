"""The SimPy twin: the estate built from a scenario (world, simulators, network, hub),
the ports through which the hub sees simulated time and backends, the fault schedule,
the runtime that steps the day, and the projection of a run into the read model.

Only this package calls `env.run`."""

from compiled_build import use_sources_if_stale

use_sources_if_stale()  # before any other module here: a stale compiled one is never run

# SQLite takes its process-wide settings only before the sqlite3 module is first
# imported, which the spill and the hub's archive of this package do (`sqlite_tuning`)
from scenarios.twin.sqlite_tuning import quiet_sqlite  # noqa: E402

quiet_sqlite()
